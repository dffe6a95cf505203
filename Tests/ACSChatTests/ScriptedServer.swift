import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// One request as the scripted server received it.
struct RecordedRequest: Sendable {
    var method: String
    var uri: String
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    /// The client's port: equal ports mean a reused connection.
    var remotePort: Int?

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
    var path: String { String(uri.prefix { $0 != "?" }) }
    var query: String? { uri.firstIndex(of: "?").map { String(uri[uri.index(after: $0)...]) } }
    var bodyText: String { String(decoding: body, as: UTF8.self) }
    /// The body parsed as a JSON object.
    func jsonBody() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(body))
        guard let dictionary = object as? [String: Any] else { throw ScriptError.notAnObject }
        return dictionary
    }
}

enum ScriptError: Error { case notAnObject }

/// What the server does with a request.
enum ScriptedResponse: Sendable {
    case respond(status: Int, headers: [(String, String)] = [], body: String = "")
    /// Drops the connection without answering (a reset as the client sees it).
    case closeConnection

    static func json(_ status: Int, _ body: String, headers: [(String, String)] = []) -> Self {
        .respond(status: status, headers: [("Content-Type", "application/json; charset=utf-8")] + headers, body: body)
    }
}

/// A tiny HTTP/1.1 server on 127.0.0.1 with an ephemeral port that answers from a script and records requests.
final class ScriptedServer: Sendable {
    typealias Script = @Sendable (_ request: RecordedRequest, _ index: Int) -> ScriptedResponse

    private let script: Script
    private let recorded = Mutex<[RecordedRequest]>([])

    private init(script: @escaping Script) {
        self.script = script
    }

    var requests: [RecordedRequest] { recorded.withLock { $0 } }
    var requestCount: Int { recorded.withLock { $0.count } }

    fileprivate func handle(_ request: RecordedRequest) -> ScriptedResponse {
        let index = recorded.withLock { requests in
            requests.append(request)
            return requests.count - 1
        }
        return script(request, index)
    }

    /// Runs `body` with the server's base URL; closes the listener on both paths.
    static func withRunning<T>(
        _ script: @escaping Script,
        _ body: (URL, ScriptedServer) async throws -> T
    ) async throws -> T {
        let server = ScriptedServer(script: script)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(ScriptedHandler(server: server))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        guard let port = channel.localAddress?.port, let url = URL(string: "http://127.0.0.1:\(port)") else {
            try await channel.close()
            throw ScriptError.notAnObject
        }
        let result: Result<T, any Error>
        do {
            result = .success(try await body(url, server))
        } catch {
            result = .failure(error)
        }
        try await channel.close()
        return try result.get()
    }
}

private final class ScriptedHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let server: ScriptedServer
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(server: ScriptedServer) {
        self.server = server
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            let request = RecordedRequest(
                method: head.method.rawValue,
                uri: head.uri,
                headers: head.headers.map { (name: $0.name, value: $0.value) },
                body: body,
                remotePort: context.channel.remoteAddress?.port
            )
            switch server.handle(request) {
            case .closeConnection:
                context.close(promise: nil)
            case .respond(let status, let headers, let text):
                var responseHeaders = HTTPHeaders(headers)
                responseHeaders.replaceOrAdd(name: "Content-Length", value: String(text.utf8.count))
                let responseHead = HTTPResponseHead(
                    version: .http1_1,
                    status: HTTPResponseStatus(statusCode: status),
                    headers: responseHeaders
                )
                context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
                if !text.isEmpty {
                    context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
                }
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
