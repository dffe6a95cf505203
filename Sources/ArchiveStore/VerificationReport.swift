/// What `ArchiveStore.verify()` found. The archive is intact when `problems` is empty.
public struct VerificationReport: Sendable, Hashable {
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public enum Kind: String, Sendable, Hashable {
            /// A revision's stored hash differs from the recomputed one (its content or hash was changed).
            case hashMismatch
            /// A revision's `prev_hash` does not name its predecessor (a row was removed, inserted or reordered).
            case brokenLink
            /// The thread's recorded chain head or length differs from its revisions (rows removed at the end).
            case headMismatch
            /// Derived message state (latest/current version, deleted, edited) disagrees with the revisions.
            case derivedState
            /// An FTS5 index failed its integrity check or does not cover exactly the rows it should.
            case searchIndex
            /// A row refers to something missing.
            case dangling
        }

        public var kind: Kind
        /// The thread concerned, when the problem belongs to one.
        public var threadID: String?
        /// Which row or index, for a human (ids and versions only, never content).
        public var detail: String

        public init(kind: Kind, threadID: String?, detail: String) {
            self.kind = kind
            self.threadID = threadID
            self.detail = detail
        }

        public var description: String {
            "\(kind.rawValue)\(threadID.map { " in thread \($0)" } ?? ""): \(detail)"
        }
    }

    public var threadsChecked: Int
    public var revisionsChecked: Int
    public var problems: [Problem]
    /// Checks that could not run (e.g. FTS5 integrity-check on a read-only store); not problems.
    public var skippedChecks: [String] = []

    public var isIntact: Bool { problems.isEmpty }
    /// Threads with at least one problem, sorted.
    public var damagedThreads: [String] { Set(problems.compactMap(\.threadID)).sorted() }

    public init(threadsChecked: Int = 0, revisionsChecked: Int = 0, problems: [Problem] = []) {
        self.threadsChecked = threadsChecked
        self.revisionsChecked = revisionsChecked
        self.problems = problems
    }
}
