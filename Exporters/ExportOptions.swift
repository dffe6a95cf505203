public import Foundation

/// Which part of the archive an export covers; recorded in headers and in the manifest, never applied here.
public struct ExportFilters: Sendable, Hashable {
    /// Threads asked for with `--thread`, in any order (written sorted); empty means every thread.
    public var threadIDs: [String]
    /// The data subject of a `--participant` export.
    public var participantID: String?
    public var since: Date?
    public var until: Date?

    public init(threadIDs: [String] = [], participantID: String? = nil, since: Date? = nil, until: Date? = nil) {
        self.threadIDs = threadIDs
        self.participantID = participantID
        self.since = since
        self.until = until
    }
}

/// Settings shared by every format.
public struct ExportOptions: Sendable, Hashable {
    /// Adds every earlier revision of each message (`--with-history`).
    public var withHistory: Bool
    /// Written into headers and the manifest, e.g. `"chat-archive 0.1.0"`.
    public var toolVersion: String
    public var filters: ExportFilters
    /// All threads go into one file (`--single-file`); json, markdown and html then use their combined form.
    public var singleFile: Bool

    public init(
        withHistory: Bool = false,
        toolVersion: String,
        filters: ExportFilters = ExportFilters(),
        singleFile: Bool = false
    ) {
        self.withHistory = withHistory
        self.toolVersion = toolVersion
        self.filters = filters
        self.singleFile = singleFile
    }
}
