import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore

/// Routes ACS Chat and Identity requests, checks credentials, injects faults and renders errors.
///
/// Routing is by hand rather than with Hummingbird's router because ACS paths contain literal colons
/// (`/participants/:add`) and percent-encoded ids that must be decoded segment by segment.
struct EmulatorResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let state: EmulatorState
    let credentials: Credentials
    let faults: FaultInjector
    let errorShape: EmulatorConfiguration.ErrorShape

    private static let supportedVersions = "2021-09-07, 2023-11-07, 2024-03-07, 2025-03-15"
    private static let maxBodySize = 4 * 1024 * 1024

    func respond(to request: Request, context: Context) async throws -> Response {
        let fault = faults.draw()
        if fault.latency > .zero { try await Task.sleep(for: fault.latency) }
        switch fault.kind {
        case .throttle(let seconds):
            return errorResponse(
                APIError(status: 429, code: "TooManyRequests", message: "Too many requests."),
                retryAfter: seconds
            )
        case .unavailable(let seconds):
            return errorResponse(
                APIError(status: 503, code: "ServiceUnavailable", message: "The service is unavailable."),
                retryAfter: seconds
            )
        case .none, .reset:
            break
        }
        var request = request
        let rendered: Rendered
        do {
            rendered = try await handle(&request)
        } catch {
            rendered = renderError(error)
        }
        if fault.kind == .reset { return Self.resetting(rendered) }
        return rendered.response
    }

    // MARK: Dispatch

    private func handle(_ request: inout Request) async throws(APIError) -> Rendered {
        let target = request.head.path ?? "/"
        let (rawPath, rawQuery) = Self.split(target)
        var segments: [String] = []
        for piece in rawPath.split(separator: "/") {
            guard let decoded = String(piece).removingPercentEncoding else {
                throw .badRequest("The request path is not valid percent-encoding.")
            }
            segments.append(decoded)
        }
        var query: [String: String] = [:]
        for item in rawQuery.split(separator: "&") {
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = String(pair[0]).removingPercentEncoding, query[name] == nil else { continue }
            query[name] = pair.count > 1 ? String(pair[1]).removingPercentEncoding ?? "" : ""
        }
        let body: [UInt8]
        do {
            var buffer = try await request.collectBody(upTo: Self.maxBodySize)
            body = buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch {
            throw APIError(status: 413, code: "RequestEntityTooLarge", message: "The request body is too large.")
        }
        let host = request.head.authority ?? request.headers[HTTPField.Name("host")!] ?? "localhost"
        guard let first = segments.first else { throw .notFound("Resource not found.") }
        switch first {
        case "identities", "teamsUser":
            return try await handleIdentity(request, segments: segments, query: query, body: body, host: host)
        case "chat":
            return try await handleChat(request, segments: segments, query: query, body: body, host: host)
        default:
            throw .notFound("Resource not found.")
        }
    }

    private func handleIdentity(
        _ request: Request,
        segments: [String],
        query: [String: String],
        body: [UInt8],
        host: String
    ) async throws(APIError) -> Rendered {
        let headers = request.headers
        let check = credentials.checkSignature(
            method: request.method.rawValue,
            pathAndQuery: request.head.path ?? "/",
            host: host,
            headers: { name in HTTPField.Name(name).flatMap { headers[$0] } },
            body: body,
            nowMs: Timestamp.now()
        )
        guard check == .valid else {
            throw APIError(status: 401, code: "Unauthorized", message: "Denied by authentication.")
        }
        guard let version = query["api-version"], !version.isEmpty else {
            throw .badRequest("The api-version query parameter is required.")
        }
        let reply: APIReply
        switch (request.method, segments.count) {
        case (.post, 1) where segments[0] == "identities":
            let wire: CreateIdentityWire? = try body.isEmpty ? nil : Self.decode(CreateIdentityWire.self, body)
            reply = try await state.createIdentity(wire)
        case (.delete, 2) where segments[0] == "identities":
            try await state.deleteUser(rawID: segments[1])
            reply = .empty(204)
        case (.post, 3) where segments[0] == "identities" && segments[2] == ":issueAccessToken":
            reply = try await state.issueAccessToken(rawID: segments[1], try Self.decode(IssueTokenWire.self, body))
        case (.post, 3) where segments[0] == "identities" && segments[2] == ":revokeAccessTokens":
            try await state.revokeTokens(rawID: segments[1])
            reply = .empty(204)
        case (.post, 2) where segments[0] == "teamsUser" && segments[1] == ":exchangeAccessToken":
            throw .badRequest("Teams token exchange is not supported by the emulator.")
        default:
            throw .notFound("Resource not found.")
        }
        return makeResponse(reply)
    }

    private func handleChat(
        _ request: Request,
        segments: [String],
        query: [String: String],
        body: [UInt8],
        host: String
    ) async throws(APIError) -> Rendered {
        guard segments.count >= 2, segments[1] == "threads" else { throw .notFound("Resource not found.") }
        guard let authorization = request.headers[.authorization], authorization.hasPrefix("Bearer "),
            let caller = await state.authenticate(token: String(authorization.dropFirst(7)))
        else { throw .unauthorized }
        guard let version = query["api-version"], !version.isEmpty else {
            throw .badRequest("The api-version query parameter is required.")
        }
        guard version >= "2021-09-07", version.first?.isNumber == true else {
            throw .badRequest("The api-version is not supported; use 2021-09-07 or later.")
        }
        let info = RequestInfo(origin: "https://" + host, apiVersion: version)
        let method = request.method
        let reply: APIReply
        if segments.count == 2 {
            switch method {
            case .post:
                let repeatability = request.headers[HTTPField.Name("repeatability-request-id")!]
                reply = try await state.createThread(
                    caller: caller,
                    try Self.decode(CreateThreadWire.self, body),
                    repeatabilityID: repeatability,
                    info: info
                )
            case .get:
                reply = try await state.listThreads(caller: caller, page: try Self.page(query), info: info)
            default: throw Self.methodNotAllowed
            }
            return makeResponse(reply)
        }
        let threadID = segments[2]
        switch (method, Array(segments.dropFirst(3))) {
        case (.get, []):
            reply = try await state.getThread(caller: caller, threadID: threadID, info: info)
        case (.patch, []):
            reply = try await state.updateThread(
                caller: caller,
                threadID: threadID,
                try Self.decode(UpdateThreadWire.self, body)
            )
        case (.delete, []):
            reply = try await state.deleteThread(caller: caller, threadID: threadID)
        case (.post, ["messages"]):
            reply = try await state.sendMessage(
                caller: caller,
                threadID: threadID,
                try Self.decode(SendMessageWire.self, body),
                info: info
            )
        case (.get, ["messages"]):
            reply = try await state.listMessages(
                caller: caller,
                threadID: threadID,
                page: try Self.page(query),
                info: info
            )
        case (.get, let rest) where rest.count == 2 && rest[0] == "messages":
            reply = try await state.getMessage(caller: caller, threadID: threadID, messageID: rest[1], info: info)
        case (.patch, let rest) where rest.count == 2 && rest[0] == "messages":
            reply = try await state.updateMessage(
                caller: caller,
                threadID: threadID,
                messageID: rest[1],
                try Self.decode(UpdateMessageWire.self, body)
            )
        case (.delete, let rest) where rest.count == 2 && rest[0] == "messages":
            reply = try await state.deleteMessage(caller: caller, threadID: threadID, messageID: rest[1])
        case (.get, ["participants"]):
            reply = try await state.listParticipants(
                caller: caller,
                threadID: threadID,
                page: try Self.page(query),
                info: info
            )
        case (.post, ["participants", ":add"]):
            reply = try await state.addParticipants(
                caller: caller,
                threadID: threadID,
                try Self.decode(AddParticipantsWire.self, body)
            )
        case (.post, ["participants", ":remove"]):
            reply = try await state.removeParticipant(
                caller: caller,
                threadID: threadID,
                try Self.decode(IdentifierWire.self, body)
            )
        case (.post, ["typing"]):
            if !body.isEmpty { _ = try Self.decode(TypingWire.self, body) }
            reply = try await state.typing(caller: caller, threadID: threadID)
        case (.post, ["readReceipts"]):
            reply = try await state.sendReadReceipt(
                caller: caller,
                threadID: threadID,
                try Self.decode(ReadReceiptWire.self, body)
            )
        case (.get, ["readReceipts"]):
            reply = try await state.listReadReceipts(
                caller: caller,
                threadID: threadID,
                page: try Self.page(query),
                info: info
            )
        default:
            throw .notFound("Resource not found.")
        }
        var rendered = makeResponse(reply)
        if method == .get, let mode = await state.corruption(threadID: threadID), let body = rendered.body {
            rendered.body = Self.corrupt(body, mode: mode, isList: segments.count == 4)
        }
        return rendered
    }

    // MARK: Helpers

    private static let methodNotAllowed = APIError(
        status: 405,
        code: "MethodNotAllowed",
        message: "The method is not allowed on this resource."
    )

    private static func split(_ target: String) -> (path: Substring, query: Substring) {
        guard let mark = target.firstIndex(of: "?") else { return (Substring(target), "") }
        return (target[..<mark], target[target.index(after: mark)...])
    }

    static func page(_ query: [String: String]) throws(APIError) -> PageRequest {
        var page = PageRequest()
        if let text = query["maxPageSize"] {
            guard let size = Int(text), size >= 1 else { throw .badRequest("maxPageSize must be a positive integer.") }
            page.size = min(size, 200)
        }
        if let text = query["skip"] {
            guard let skip = Int(text), skip >= 0 else { throw .badRequest("skip must be a non-negative integer.") }
            page.skip = skip
        }
        if let text = query["startTime"] {
            guard let start = Timestamp.parse(text) else { throw .badRequest("startTime is not a valid date-time.") }
            page.startMs = start
        }
        if let cursor = query["syncState"] {
            let allowed = cursor.utf8.allSatisfy { byte in
                (byte >= 48 && byte <= 57) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
            }
            guard allowed, !cursor.isEmpty, cursor.utf8.count < 100 else { throw .badRequest("Invalid syncState.") }
            page.cursor = cursor
        }
        return page
    }

    static func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8]) throws(APIError) -> T {
        guard !body.isEmpty else { throw .badRequest("A request body is required.") }
        do {
            return try JSONDecoder().decode(type, from: Data(body))
        } catch DecodingError.keyNotFound(let key, _) {
            throw .badRequest("The field '\(key.stringValue)' is required.")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw .badRequest("The field '\(path)' has the wrong type.")
        } catch {
            throw .badRequest("The request body is not valid JSON.")
        }
    }

    private func makeResponse(_ reply: APIReply) -> Rendered {
        var headers = HTTPFields()
        headers[HTTPField.Name("api-supported-versions")!] = Self.supportedVersions
        if let location = reply.location { headers[.location] = location }
        if reply.body != nil { headers[.contentType] = "application/json; charset=utf-8" }
        return Rendered(status: reply.status, headers: headers, body: reply.body)
    }

    func errorResponse(_ error: APIError, retryAfter: Int? = nil) -> Response {
        renderError(error, retryAfter: retryAfter).response
    }

    private func renderError(_ error: any Error, retryAfter: Int? = nil) -> Rendered {
        let error =
            error as? APIError ?? APIError(status: 500, code: "InternalServerError", message: "Internal error.")
        var json = JSONWriter()
        json.beginObject()
        switch errorShape {
        case .spec:
            json.key("error")
            json.beginObject()
            json.field("code", error.code)
            json.field("message", error.message)
            json.endObject()
        case .live:
            json.key("CommunicationError")
            json.beginObject()
            json.field("Code", error.code)
            json.field("Message", error.message)
            json.key("Details")
            json.beginArray()
            json.endArray()
            json.endObject()
        }
        json.endObject()
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        // Only 429 and 503 may carry Retry-After: azure-core retries any status that has one (contract §7).
        if let retryAfter, error.status == 429 || error.status == 503 {
            headers[.retryAfter] = String(retryAfter)
        }
        return Rendered(status: error.status, headers: headers, body: json.bytes)
    }

    /// Sends the head and half the body (announcing the full length), then fails the body so that Hummingbird
    /// drops the connection.
    private static func resetting(_ rendered: Rendered) -> Response {
        let body = rendered.body ?? []
        var headers = rendered.headers
        headers[.contentLength] = String(max(body.count, 1))
        let half = ByteBuffer(bytes: body.prefix(body.count / 2))
        return Response(
            status: .init(code: rendered.status),
            headers: headers,
            body: ResponseBody(contentLength: max(body.count, 1)) { writer in
                if half.readableBytes > 0 { try await writer.write(half) }
                throw ConnectionResetFault()
            }
        )
    }

    static func corrupt(_ body: [UInt8], mode: ResponseCorruption, isList: Bool) -> [UInt8] {
        switch mode {
        case .truncatedJSON:
            return Array(body.prefix(max(1, body.count / 2)))
        case .wrongTypes:
            let item =
                #"{"id":12345,"type":7,"sequenceId":true,"version":[1],"topic":9,"createdOn":1700000000,"#
                + #""content":"oops","communicationIdentifier":"x","senderCommunicationIdentifier":3,"#
                + #""createdByCommunicationIdentifier":false,"chatMessageId":5,"readOn":6}"#
            return Array((isList ? #"{"value":[\#(item)],"nextLink":42}"# : item).utf8)
        case .invalidUTF8:
            var damaged = body
            let marker = Array(#"":""#.utf8)
            var index = 0
            while index + marker.count <= damaged.count {
                if Array(damaged[index..<index + marker.count]) == marker {
                    damaged.insert(contentsOf: [0xFF, 0xFE, 0xC3, 0x28], at: index + marker.count)
                    return damaged
                }
                index += 1
            }
            return [0xFF, 0xFE] + damaged
        }
    }
}

/// Thrown from a response body to drop the connection mid-response.
struct ConnectionResetFault: Error {}

/// A response before it goes on the wire, so corruption and resets can work on its bytes.
struct Rendered {
    var status: Int
    var headers: HTTPFields
    var body: [UInt8]?

    var response: Response {
        var headers = headers
        headers[.contentLength] = String(body?.count ?? 0)
        guard let body else { return Response(status: .init(code: status), headers: headers) }
        return Response(
            status: .init(code: status),
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body))
        )
    }
}
