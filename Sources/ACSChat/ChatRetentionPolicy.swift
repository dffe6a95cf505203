/// When the service deletes a thread by itself (api-version 2025-03-15).
///
/// Write `ChatRetentionPolicy.none` in full where an optional is expected: a bare `.none` means `nil` there.
public enum ChatRetentionPolicy: Sendable, Hashable {
    /// Keep the thread until someone deletes it.
    case none
    /// Delete the thread this many days after it was created.
    case threadCreationDate(deleteThreadAfterDays: Int)
    /// A policy kind this client does not know.
    case unknown(String)
}
