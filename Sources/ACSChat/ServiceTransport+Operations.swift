import Foundation
import NIOHTTP1

extension ServiceTransport {
    /// Sends a request whose success has no body worth reading.
    func perform(_ request: ServiceRequest) async throws {
        _ = try await send(request)
    }

    /// Sends a request and maps its JSON body to a domain value.
    func perform<Wire: WireDecodable, Value>(
        _ request: ServiceRequest,
        decoding: Wire.Type,
        map: (Wire) throws(WireMappingError) -> Value
    ) async throws -> Value {
        let wire = try await send(request, decoding: Wire.self)
        do {
            return try map(wire)
        } catch {
            throw ChatServiceError.malformed(request.operation, "unexpected response body: \(error.message)")
        }
    }

    /// A lazily fetched list: the first request goes to `path` with `query`, later ones to each `nextLink`.
    func pagedCollection<Wire: WireDecodable & Sendable, Element: Sendable>(
        operation: String,
        path: String,
        query: [(name: String, value: String)],
        map: @escaping @Sendable (Wire) throws(WireMappingError) -> Element
    ) -> PagedCollection<Element> {
        PagedCollection { [self] token in
            let request = ServiceRequest(
                method: .GET,
                operation: operation,
                target: token.map(RequestTarget.nextLink) ?? .path(path, query: query),
                expectedStatus: [200],
                isIdempotent: true
            )
            let page = try await send(request, decoding: WirePage<Wire>.self)
            var items: [Element] = []
            items.reserveCapacity(page.value.count)
            do throws(WireMappingError) {
                for item in page.value { items.append(try map(item)) }
            } catch {
                throw ChatServiceError.malformed(operation, "unexpected response body: \(error.message)")
            }
            return ChatPage(items: items, continuationToken: page.nextLink.flatMap { $0.isEmpty ? nil : $0 })
        }
    }
}

/// Query items for the optional list parameters.
func pagingQuery(
    maxPageSize: Int?,
    startTime: Date? = nil,
    skip: Int? = nil
) -> [(name: String, value: String)] {
    var query: [(name: String, value: String)] = []
    if let maxPageSize { query.append(("maxPageSize", String(maxPageSize))) }
    if let skip { query.append(("skip", String(skip))) }
    if let startTime { query.append(("startTime", ChatDateFormat.format(startTime))) }
    return query
}
