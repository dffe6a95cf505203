import Foundation

/// A failure reported by, or while talking to, the chat or identity service.
///
/// `description` names the operation as a path template ("GET /chat/threads/{chatThreadId}/messages"), the code
/// and a short message. It never contains query strings (nextLink cursors), tokens, access keys or message bodies.
public struct ChatServiceError: Error, Sendable {
    /// What went wrong, independent of the HTTP details.
    public enum Code: Sendable, Hashable {
        case unauthorized, forbidden, notFound, conflict, badRequest, throttled, unavailable
        /// The service answered with a body the client could not understand (bad JSON, wrong types, bad UTF-8).
        case malformedResponse
        /// The request never got an HTTP answer (connection refused or reset, timeout, TLS failure, shut down).
        case transport
        /// The token credential could not supply a usable token (not a JWT, no `exp`, expired, refresher failed).
        case credential
        /// The caller passed a value the client refuses to send (bad endpoint, connection string, CA PEM, …).
        case invalidArgument
        /// Any other status, including a 2xx the operation does not expect.
        case unexpectedStatus(Int)
    }

    public var code: Code
    /// The HTTP status, when the service answered.
    public var httpStatus: Int?
    /// The service's own error code, e.g. `"TooManyRequests"` or `"NotFound"`.
    public var serviceCode: String?
    public var message: String
    /// The operation as method plus path template, e.g. `"POST /chat/threads"`; never a query or an id.
    public var operation: String
    /// How long the service asked the caller to wait (`Retry-After` and friends), if it said.
    public var retryAfter: Duration?
    public var underlying: (any Error & Sendable)?

    public init(
        code: Code,
        httpStatus: Int? = nil,
        serviceCode: String? = nil,
        message: String,
        operation: String,
        retryAfter: Duration? = nil,
        underlying: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.httpStatus = httpStatus
        self.serviceCode = serviceCode
        self.message = message
        self.operation = operation
        self.retryAfter = retryAfter
        self.underlying = underlying
    }

    /// Whether trying again later may succeed (throttling, unavailability, transport failures).
    public var isRetryable: Bool {
        switch code {
        case .throttled, .unavailable, .transport: true
        default: false
        }
    }
}

extension ChatServiceError: CustomStringConvertible {
    public var description: String {
        var details = ["\(code)"]
        if let httpStatus { details.append("HTTP \(httpStatus)") }
        if let serviceCode { details.append(serviceCode) }
        if let retryAfter { details.append("retry after \(retryAfter)") }
        return "\(operation) failed (\(details.joined(separator: ", "))): \(message)"
    }
}

extension ChatServiceError.Code: CustomStringConvertible {
    public var description: String {
        switch self {
        case .unauthorized: "unauthorized"
        case .forbidden: "forbidden"
        case .notFound: "notFound"
        case .conflict: "conflict"
        case .badRequest: "badRequest"
        case .throttled: "throttled"
        case .unavailable: "unavailable"
        case .malformedResponse: "malformedResponse"
        case .transport: "transport"
        case .credential: "credential"
        case .invalidArgument: "invalidArgument"
        case .unexpectedStatus(let status): "unexpectedStatus(\(status))"
        }
    }
}

extension ChatServiceError.Code {
    /// The code for an HTTP status that the operation did not expect.
    init(httpStatus: Int) {
        switch httpStatus {
        case 400: self = .badRequest
        case 401: self = .unauthorized
        case 403: self = .forbidden
        case 404: self = .notFound
        case 409: self = .conflict
        case 429: self = .throttled
        case 408, 500, 502, 503, 504: self = .unavailable
        default: self = .unexpectedStatus(httpStatus)
        }
    }
}

extension ChatServiceError {
    /// Builds the error for a non-success response, reading either error body shape (or none).
    static func fromResponse(status: Int, body: [UInt8], operation: String, retryAfter: Duration?) -> Self {
        let parsed = WireErrorBody.parse(body)
        let fallback = "the service answered HTTP \(status)"
        return ChatServiceError(
            code: Code(httpStatus: status),
            httpStatus: status,
            serviceCode: parsed?.code.map(sanitized),
            message: parsed?.message.map(sanitized).flatMap { $0.isEmpty ? nil : $0 } ?? fallback,
            operation: operation,
            retryAfter: retryAfter
        )
    }

    static func malformed(_ operation: String, _ message: String, underlying: (any Error & Sendable)? = nil) -> Self {
        ChatServiceError(code: .malformedResponse, message: message, operation: operation, underlying: underlying)
    }

    static func invalidArgument(_ operation: String, _ message: String) -> Self {
        ChatServiceError(code: .invalidArgument, message: message, operation: operation)
    }

    static func credential(_ message: String, underlying: (any Error & Sendable)? = nil) -> Self {
        ChatServiceError(code: .credential, message: message, operation: "token credential", underlying: underlying)
    }
}

/// Service text is untrusted: keep it short and on one line.
private func sanitized(_ text: String) -> String {
    let cleaned = String(text.unicodeScalars.map { CharacterSet.controlCharacters.contains($0) ? " " : Character($0) })
    return cleaned.count > 300 ? String(cleaned.prefix(300)) + "…" : cleaned
}
