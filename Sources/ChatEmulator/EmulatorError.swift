/// A failure to configure, start or drive the emulator.
///
/// `description` names the problem and the offending setting, never an access key or token.
public struct EmulatorError: Error, Sendable {
    public enum Code: Sendable, Hashable {
        /// A configuration value (access key, seed plan, fault spec) is invalid.
        case invalidConfiguration
        /// The TLS certificate or key could not be generated or loaded.
        case certificate
        /// The server did not start listening.
        case serverStart
        /// An in-process control call named a user or thread that does not exist.
        case notFound
    }

    public var code: Code
    public var message: String
    public var underlying: (any Error & Sendable)?

    public init(code: Code, message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }
}

extension EmulatorError: CustomStringConvertible {
    public var description: String {
        "emulator error (\(code)): \(message)"
    }
}
