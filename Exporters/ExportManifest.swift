import ArchiveModel
public import Foundation

/// `manifest.json`: what an export contains and how to check it (file digests, the archive's chain heads).
///
/// It holds no wall-clock time unless the caller passes `exportedAt`, so the same archive and arguments give the
/// same bytes. Arrays are written sorted (files by name, chain heads by thread id).
public struct ExportManifest: Encodable, Sendable, Hashable {
    public struct File: Encodable, Sendable, Hashable {
        public var name: String
        public var sha256: String
        public var byteCount: Int
        /// The thread the file holds; `nil` for a single-file export.
        public var threadID: String?

        public init(name: String, sha256: String, byteCount: Int, threadID: String? = nil) {
            self.name = name
            self.sha256 = sha256
            self.byteCount = byteCount
            self.threadID = threadID
        }

        enum CodingKeys: String, CodingKey { case name, sha256, byteCount, threadId }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(sha256, forKey: .sha256)
            try container.encode(byteCount, forKey: .byteCount)
            try container.encode(threadID, forKey: .threadId)
        }
    }

    /// The head of one thread's revision hash chain when the export read the archive.
    public struct ChainHead: Encodable, Sendable, Hashable {
        public var threadID: String
        public var hash: String

        public init(threadID: String, hash: String) {
            self.threadID = threadID
            self.hash = hash
        }

        enum CodingKeys: String, CodingKey { case threadId, hash }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(threadID, forKey: .threadId)
            try container.encode(hash, forKey: .hash)
        }
    }

    public var toolVersion: String
    public var format: ExportFormat
    public var options: ExportOptions
    public var counts: ExportCounts
    public var files: [File]
    public var chainHeads: [ChainHead]
    public var exportedAt: Date?

    public init(
        format: ExportFormat,
        options: ExportOptions,
        counts: ExportCounts,
        files: [File],
        chainHeads: [ChainHead],
        exportedAt: Date? = nil
    ) {
        self.toolVersion = options.toolVersion
        self.format = format
        self.options = options
        self.counts = counts
        self.files = files
        self.chainHeads = chainHeads
        self.exportedAt = exportedAt
    }

    enum CodingKeys: String, CodingKey {
        case manifestVersion, toolVersion, format, singleFile, withHistory, filters, counts, files, chainHeads
        case exportedAt
    }

    enum FilterKeys: String, CodingKey { case threadIds, participantId, since, until }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(1, forKey: .manifestVersion)
        try container.encode(toolVersion, forKey: .toolVersion)
        try container.encode(format.rawValue, forKey: .format)
        try container.encode(options.singleFile, forKey: .singleFile)
        try container.encode(options.withHistory, forKey: .withHistory)
        var filters = container.nestedContainer(keyedBy: FilterKeys.self, forKey: .filters)
        try filters.encode(options.filters.threadIDs.sorted(), forKey: .threadIds)
        try filters.encode(options.filters.participantID, forKey: .participantId)
        try filters.encode(options.filters.since.map { Timestamp.format($0) }, forKey: .since)
        try filters.encode(options.filters.until.map { Timestamp.format($0) }, forKey: .until)
        try container.encode(counts, forKey: .counts)
        try container.encode(files.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }, forKey: .files)
        try container.encode(
            chainHeads.sorted { $0.threadID.utf8.lexicographicallyPrecedes($1.threadID.utf8) },
            forKey: .chainHeads
        )
        try container.encode(exportedAt.map { Timestamp.format($0) }, forKey: .exportedAt)
    }

    /// Pretty, key-sorted JSON with a final newline; byte-identical for equal manifests.
    public func encodedJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        do {
            var data = try encoder.encode(self)
            data.append(0x0A)
            return data
        } catch {
            throw ExportError(code: .encodingFailed, operation: "encode manifest", underlying: error)
        }
    }
}
