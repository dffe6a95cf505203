/// Settings shared by `ChatClient` and `CommunicationIdentityClient`.
public struct ChatClientOptions: Sendable {
    /// The chat `api-version`; `"2025-03-15"` adds thread metadata and retention policies.
    public var apiVersion: String
    /// The identity `api-version` (`CommunicationIdentityClient` only).
    public var identityAPIVersion: String
    /// Extra CA certificates (PEM) to trust besides the system roots, e.g. the local emulator's CA.
    public var trustedRootCertificatesPEM: String?
    /// The deadline for one attempt, from sending the request to the last byte of the response.
    public var timeout: Duration
    /// How long to wait for a TCP (and TLS) connection.
    public var connectTimeout: Duration
    public var retryPolicy: RetryPolicy
    public var userAgent: String
    /// Responses larger than this are refused (`.malformedResponse`): service input is untrusted.
    public var maxResponseBytes: Int
    /// Keep-alive connections kept per host.
    public var maxConnectionsPerHost: Int

    public init(
        apiVersion: String = "2024-03-07",
        identityAPIVersion: String = "2023-10-01",
        trustedRootCertificatesPEM: String? = nil,
        timeout: Duration = .seconds(30),
        connectTimeout: Duration = .seconds(10),
        retryPolicy: RetryPolicy = RetryPolicy(),
        userAgent: String = "chat-archive-acschat/1.0",
        maxResponseBytes: Int = 32 << 20,
        maxConnectionsPerHost: Int = 8
    ) {
        self.apiVersion = apiVersion
        self.identityAPIVersion = identityAPIVersion
        self.trustedRootCertificatesPEM = trustedRootCertificatesPEM
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.retryPolicy = retryPolicy
        self.userAgent = userAgent
        self.maxResponseBytes = maxResponseBytes
        self.maxConnectionsPerHost = maxConnectionsPerHost
    }
}

/// How requests are retried, in the manner of the Azure SDKs.
///
/// - 429 and 503 are retried for every operation (the service refused the request), waiting for `Retry-After`,
///   `retry-after-ms` or `x-ms-retry-after-ms` when given, else the exponential backoff.
/// - 408, 500, 502, 504, resets and timeouts are retried with exponential backoff and jitter only for operations
///   that cannot duplicate anything: GET, DELETE, create-thread (it carries `repeatability-request-id`), add and
///   remove participant, typing, read receipts, update message, and identity token issue/revoke/delete.
///   `sendMessage`, `updateTopic` (it writes a `topicUpdated` message) and `createUser` are not retried then.
/// - A failure to connect at all is retried for every operation: nothing reached the service.
/// - Other 4xx are never retried. A 401 re-mints the token once when the credential has a refresher.
public struct RetryPolicy: Sendable {
    /// Attempts in total, the first one included.
    public var maxAttempts: Int
    /// The backoff before the first retry; it doubles for each further retry.
    public var baseDelay: Duration
    /// The longest computed backoff.
    public var maxDelay: Duration
    /// The longest `Retry-After` the client will wait; a longer one fails with the error's `retryAfter` set.
    public var maxRetryAfter: Duration
    /// Waits between attempts. Tests inject a recorder so that no test really sleeps.
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(
        maxAttempts: Int = 4,
        baseDelay: Duration = .milliseconds(800),
        maxDelay: Duration = .seconds(60),
        maxRetryAfter: Duration = .seconds(120),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.sleep = sleep
    }

    /// A policy that never retries.
    public static var none: RetryPolicy { RetryPolicy(maxAttempts: 1) }

    /// The backoff before retry number `retry` (1 for the first retry): base · 2^(retry-1), ±20 % jitter, capped.
    func backoff(beforeRetry retry: Int) -> Duration {
        let exponent = min(max(retry - 1, 0), 30)
        let nominal = baseDelay * (1 << exponent)
        let jittered = nominal * Double.random(in: 0.8...1.2)
        return min(jittered, maxDelay)
    }
}
