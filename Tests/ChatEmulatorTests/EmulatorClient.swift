import AsyncHTTPClient
import ChatEmulator
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// A small HTTPS client for tests: trusts only the emulator's root and signs identity calls like the Python SDK.
struct EmulatorClient {
    struct Reply {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]

        /// The body parsed as a JSON object (empty when it is not one).
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
        }
    }

    let emulator: RunningEmulator
    let http: HTTPClient

    var origin: String { "https://localhost:\(emulator.port)" }

    /// Runs `body` with a client for `emulator`, shutting the client down afterwards.
    static func with<T>(_ emulator: RunningEmulator, _ body: (EmulatorClient) async throws -> T) async throws -> T {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(emulator.certificatePEM.utf8)))
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.httpVersion = .http1Only
        let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        do {
            let value = try await body(EmulatorClient(emulator: emulator, http: http))
            try await http.shutdown()
            return value
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    func send(
        _ method: HTTPMethod,
        _ pathAndQuery: String,
        token: String? = nil,
        json: String? = nil,
        headers extra: [(String, String)] = []
    ) async throws -> Reply {
        try await sendURL(method, origin + pathAndQuery, token: token, json: json, headers: extra)
    }

    func sendURL(
        _ method: HTTPMethod,
        _ url: String,
        token: String? = nil,
        json: String? = nil,
        headers extra: [(String, String)] = []
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        let response = try await http.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 64 * 1024 * 1024)
        return Reply(status: Int(response.status.code), headers: response.headers, body: Array(buffer: body))
    }

    /// Sends an HMAC-SHA256 signed identity request (contract §9).
    func signed(
        _ method: HTTPMethod,
        _ pathAndQuery: String,
        json: String? = nil,
        signedHost: String? = nil,
        date: Date = Date(),
        key: String? = nil
    ) async throws -> Reply {
        let body = Array((json ?? "").utf8)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let dateText = formatter.string(from: date)
        let contentHash = Data(SHA256.hash(data: body)).base64EncodedString()
        let host = signedHost ?? "localhost:\(emulator.port)"
        let toSign = "\(method.rawValue)\n\(pathAndQuery)\n\(dateText);\(host);\(contentHash)"
        let secret = SymmetricKey(data: Data(base64Encoded: key ?? emulator.accessKey)!)
        let signature = Data(HMAC<SHA256>.authenticationCode(for: Data(toSign.utf8), using: secret))
            .base64EncodedString()
        return try await send(
            method,
            pathAndQuery,
            json: json,
            headers: [
                ("x-ms-date", dateText),
                ("x-ms-content-sha256", contentHash),
                (
                    "Authorization",
                    "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=\(signature)"
                ),
            ]
        )
    }

    /// Creates a user and a token through the in-process controls.
    func makeUser(_ name: String? = nil) async throws -> (id: String, token: String) {
        let id = await emulator.createUser(displayName: name)
        return (id, try await emulator.issueToken(for: id))
    }

    /// Creates a thread as `token` with `participants` and returns its id.
    func createThread(
        token: String,
        topic: String = "Topic",
        participants: [String] = [],
        repeatability: String = UUID().uuidString
    ) async throws -> String {
        let reply = try await send(
            .POST,
            "/chat/threads?api-version=2024-03-07",
            token: token,
            json: Self.createBody(topic: topic, participants: participants),
            headers: [("repeatability-request-id", repeatability)]
        )
        guard reply.status == 201, let thread = reply.json["chatThread"] as? [String: Any],
            let id = thread["id"] as? String
        else { throw TestFailure("create thread answered \(reply.status)") }
        return id
    }

    static func createBody(topic: String, participants: [String]) -> String {
        let list = participants.map { Self.participant($0) }.joined(separator: ",")
        return #"{"topic":"\#(topic)","participants":[\#(list)]}"#
    }

    static func participant(_ rawID: String, displayName: String? = nil) -> String {
        let name = displayName.map { #","displayName":"\#($0)""# } ?? ""
        return #"{"communicationIdentifier":\#(identifier(rawID))\#(name)}"#
    }

    static func identifier(_ rawID: String) -> String {
        #"{"rawId":"\#(rawID)","communicationUser":{"id":"\#(rawID)"}}"#
    }

    static func path(_ threadID: String) -> String {
        "/chat/threads/" + threadID.addingPercentEncoding(
            withAllowedCharacters: .alphanumerics.union(["-", "_", "."])
        )!
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
