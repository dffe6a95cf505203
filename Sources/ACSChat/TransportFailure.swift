import AsyncHTTPClient
import NIOCore
import NIOSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A request that got no HTTP answer, with how far it may have got.
struct TransportFailure: Error, Sendable {
    enum Stage: Sendable {
        /// Nothing reached the service (no connection): safe to retry anything.
        case beforeSending
        /// The service may have seen the request (reset, timeout): retry only idempotent requests.
        case ambiguous
        /// Retrying cannot help (TLS verification, shut-down client, bad URL).
        case fatal
    }
    var stage: Stage
    var underlying: any Error

    func serviceError(_ operation: String) -> ChatServiceError {
        ChatServiceError(
            code: .transport,
            message: "no response from the service (\(Self.summary(of: underlying)))",
            operation: operation,
            underlying: underlying
        )
    }

    static func stage(of error: any Error) -> Stage {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .getConnectionFromPoolTimeout: return .beforeSending
            case .remoteConnectionClosed, .readTimeout, .writeTimeout, .deadlineExceeded, .uncleanShutdown:
                return .ambiguous
            default: return .fatal
            }
        }
        if let error = error as? ChannelError {
            if case .connectTimeout = error { return .beforeSending }
            return .ambiguous
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL: return .beforeSending
            default: return .ambiguous
            }
        }
        if error is NIOSSLError || error is NIOSSLExtraError { return .fatal }
        // NIOPosix's NIOConnectionError (every connect attempt failed) is not visible from here; match its name.
        if String(describing: type(of: error)) == "NIOConnectionError" { return .beforeSending }
        return .ambiguous
    }

    /// A short, secret-free name for an underlying transport error.
    static func summary(of error: any Error) -> String {
        if let error = error as? HTTPClientError { return "\(error)" }
        if let error = error as? IOError { return "I/O error \(error.errnoCode)" }
        if error is NIOSSLError || error is NIOSSLExtraError { return "TLS failure: \(error)" }
        return String(describing: type(of: error))
    }
}
