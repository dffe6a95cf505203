/// A failure while exporting: writer misuse, input that breaks an exporter's contract, or a failed write.
public struct ExportError: Error, Sendable {
    public enum Code: Sendable, Hashable {
        /// Calls out of order (a message before `beginThread`, two `beginFile`s, …).
        case invalidState
        /// A message that belongs to another thread than the one being written.
        case threadMismatch
        /// The sink could not be written (disk full, closed handle).
        case writeFailed
        /// A manifest could not be encoded.
        case encodingFailed
    }

    public var code: Code
    /// What was being done, e.g. `"jsonl: write message"`; never message bodies.
    public var operation: String
    public var underlying: (any Error & Sendable)?

    public init(code: Code, operation: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.operation = operation
        self.underlying = underlying
    }
}

extension ExportError: CustomStringConvertible {
    public var description: String {
        "\(operation) failed (\(code))" + (underlying.map { ": \(type(of: $0))" } ?? "")
    }
}
