/// A failure of a sync run or of one thread within it.
public struct ArchiveSyncError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        /// No credentials, or credentials that cannot work.
        case configuration
        /// The service failed or answered something unusable.
        case service
        /// The archive could not be written or read.
        case archive
        case cancelled
    }

    public var code: Code
    /// What was being done, e.g. "list messages of thread 19:…@thread.v2". Never a token or message body.
    public var operation: String
    public var message: String
    public var underlying: (any Error & Sendable)?

    public init(code: Code, operation: String, message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.operation = operation
        self.message = message
        self.underlying = underlying
    }

    public var description: String { "\(operation): \(message)" }
}
