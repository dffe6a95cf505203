/// One page of a list operation.
public struct ChatPage<Element: Sendable>: Sendable {
    public var items: [Element]
    /// The service's `nextLink`: pass it to `PagedCollection.pages(continuingFrom:)` to resume after this page.
    /// Nil on the last page.
    public var continuationToken: String?

    public init(items: [Element], continuationToken: String?) {
        self.items = items
        self.continuationToken = continuationToken
    }
}

extension ChatPage: Equatable where Element: Equatable {}
extension ChatPage: Hashable where Element: Hashable {}

/// The items of a list operation, fetched lazily page by page, following the service's `nextLink`.
///
/// Iterating yields items; `pages` yields whole pages with their continuation tokens, and
/// `pages(continuingFrom:)` resumes from a saved token. Each iteration starts afresh from its first page; nothing is
/// cached. Iterators check for cancellation before each request. A `nextLink` is only ever sent to the client's own
/// endpoint (its path and query are reused), never to another host.
public struct PagedCollection<Element: Sendable>: AsyncSequence, Sendable {
    public typealias Failure = any Error
    /// The item type, named so that nested types can refer to it.
    public typealias Item = Element
    /// Fetches the first page (nil) or the page a continuation token names.
    typealias FetchPage = @Sendable (_ continuationToken: String?) async throws -> ChatPage<Element>

    private let fetch: FetchPage

    init(fetch: @escaping FetchPage) {
        self.fetch = fetch
    }

    /// The pages, from the first.
    public var pages: PageSequence { PageSequence(fetch: fetch, start: nil) }

    /// The pages, starting with the one `token` (a `ChatPage.continuationToken`) names.
    public func pages(continuingFrom token: String) -> PageSequence {
        PageSequence(fetch: fetch, start: token)
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(pages: PageSequence.Iterator(fetch: fetch, start: nil))
    }

    /// Yields items one by one.
    public struct Iterator: AsyncIteratorProtocol {
        public typealias Failure = any Error
        private var pages: PageSequence.Iterator
        private var buffer: [Element] = []

        fileprivate init(pages: PageSequence.Iterator) {
            self.pages = pages
        }

        public mutating func next() async throws -> Element? {
            while buffer.isEmpty {
                guard let page = try await pages.next() else { return nil }
                buffer = page.items.reversed()
            }
            return buffer.popLast()
        }
    }

    /// The pages of a list operation.
    public struct PageSequence: AsyncSequence, Sendable {
        public typealias Element = ChatPage<Item>
        public typealias Failure = any Error
        private let fetch: FetchPage
        private let start: String?

        fileprivate init(fetch: @escaping FetchPage, start: String?) {
            self.fetch = fetch
            self.start = start
        }

        public func makeAsyncIterator() -> Iterator { Iterator(fetch: fetch, start: start) }

        /// Fetches one page per call; stops after the page without a continuation token.
        public struct Iterator: AsyncIteratorProtocol {
            public typealias Failure = any Error
            private let fetch: FetchPage
            private var token: String?
            private var isFirst = true
            private var seenTokens: Set<String> = []

            fileprivate init(fetch: @escaping FetchPage, start: String?) {
                self.fetch = fetch
                self.token = start
                if let start { seenTokens.insert(start) }
            }

            public mutating func next() async throws -> ChatPage<Item>? {
                guard isFirst || token != nil else { return nil }
                try Task.checkCancellation()
                let page = try await fetch(token)
                isFirst = false
                if let next = page.continuationToken, next.isEmpty {
                    token = nil
                } else {
                    token = page.continuationToken
                }
                if let token {
                    // A service that hands out the same link twice would page forever.
                    guard seenTokens.insert(token).inserted else {
                        self.token = nil
                        throw ChatServiceError.malformed("paging", "the service repeated a nextLink")
                    }
                }
                return ChatPage(items: page.items, continuationToken: token)
            }
        }
    }
}
