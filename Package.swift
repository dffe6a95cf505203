// swift-tools-version:6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "chat-archive",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "chat-archive", targets: ["chat-archive"]),
        .library(name: "ACSChat", targets: ["ACSChat"]),
        .library(name: "ChatEmulator", targets: ["ChatEmulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing", from: "1.19.7"),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(name: "ArchiveModel", swiftSettings: strictSettings),
        .target(
            name: "ACSChat",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        .target(name: "SearchQuery", swiftSettings: strictSettings),
        .target(name: "SeededRandom", swiftSettings: strictSettings),
        .target(name: "HTMLSanitizer", dependencies: ["CLibXML2"], swiftSettings: strictSettings),
        .target(
            name: "ArchiveSchemas",
            path: "Schemas",
            exclude: ["JSON"],
            resources: [.embedInCode("Migrations")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ArchiveStore",
            dependencies: [
                "CSQLite", "ArchiveModel", "ArchiveSchemas", "SearchQuery",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ArchiveSync",
            dependencies: ["ACSChat", "HTMLSanitizer", "ArchiveStore", "ArchiveModel"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Exporters",
            dependencies: ["ArchiveModel", .product(name: "Crypto", package: "swift-crypto")],
            path: "Exporters",
            swiftSettings: strictSettings
        ),
        .target(
            name: "ChatEmulator",
            dependencies: [
                "SeededRandom",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "chat-archive",
            dependencies: [
                "ACSChat", "ArchiveModel", "ArchiveStore", "ArchiveSync", "ChatEmulator", "Exporters",
                "HTMLSanitizer", "SearchQuery",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "chat-archive-bench",
            dependencies: [
                "ACSChat", "ArchiveModel", "ArchiveStore", "ArchiveSync", "ChatEmulator", "Exporters",
                "HTMLSanitizer", "SearchQuery", "SeededRandom",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Benchmarks",
            exclude: ["sync-cli.sh"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ACSChatTests",
            dependencies: [
                "ACSChat", "SeededRandom",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ChatEmulatorTests",
            dependencies: [
                "ChatEmulator",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ClientEmulatorTests",
            dependencies: ["ACSChat", "ChatEmulator"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HTMLSanitizerTests",
            dependencies: [
                "HTMLSanitizer", "SeededRandom", .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "SearchQueryTests", dependencies: ["SearchQuery"], swiftSettings: strictSettings),
        .testTarget(
            name: "ArchiveStoreTests",
            dependencies: ["ArchiveStore", "ArchiveModel", "SearchQuery", "SeededRandom"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ArchiveSyncTests",
            dependencies: ["ArchiveSync", "ArchiveStore", "ACSChat", "ChatEmulator", "ArchiveModel"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ExportersTests",
            dependencies: [
                "Exporters", "ArchiveModel",
                .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
            ],
            exclude: ["__Snapshots__"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["ChatEmulator", "ACSChat", "ArchiveStore", "ArchiveModel"],
            swiftSettings: strictSettings
        ),
    ]
)
