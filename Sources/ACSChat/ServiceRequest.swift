import NIOHTTP1

/// Where a request goes: a path under the endpoint, or a nextLink the service sent.
enum RequestTarget: Sendable {
    case path(String, query: [(name: String, value: String)] = [])
    case nextLink(String)
}

struct ServiceRequest: Sendable {
    var method: HTTPMethod
    /// "GET /chat/threads/{chatThreadId}": what errors name.
    var operation: String
    var target: RequestTarget
    var body: [UInt8]? = nil
    var contentType = "application/json"
    var headers: [(String, String)] = []
    var expectedStatus: Set<Int>
    /// True when sending it twice cannot duplicate anything, so ambiguous failures may be retried.
    var isIdempotent: Bool
}

struct ServiceResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
}
