public import ArchiveModel

/// A streaming exporter: the caller pushes one file's threads and messages in order, and the writer appends to
/// whatever stream each call is given, keeping only per-thread state (names, receipts, counts).
///
/// Call order per file: `beginFile`, then for each thread `beginThread`, `write` per message (in `createdOn`
/// order), `endThread`; then `endFile`. The caller may `await` between calls (reading the archive page by page),
/// which is why this is push-based. Out-of-order calls, and a second thread in a file when
/// `ExportOptions.singleFile` is false, throw `ExportError` with code `.invalidState`.
public protocol TranscriptWriter {
    /// The value of `--format`.
    var format: ExportFormat { get }
    /// Totals of everything written so far.
    var counts: ExportCounts { get }
    mutating func beginFile(into output: inout some TextOutputStream) throws
    mutating func beginThread(_ input: ThreadExportInput, into output: inout some TextOutputStream) throws
    mutating func write(_ message: ArchivedMessage, into output: inout some TextOutputStream) throws
    mutating func endThread(into output: inout some TextOutputStream) throws
    mutating func endFile(into output: inout some TextOutputStream) throws
}

extension TranscriptWriter {
    /// Writes one whole thread (begin, messages, end) without touching the file frame.
    public mutating func writeThread(
        _ input: ThreadExportInput,
        messages: some Sequence<ArchivedMessage>,
        into output: inout some TextOutputStream
    ) throws {
        try beginThread(input, into: &output)
        for message in messages { try write(message, into: &output) }
        try endThread(into: &output)
    }
}

/// Tracks the call order every writer enforces.
struct WriterPhase {
    enum State { case initial, inFile, inThread, finished }
    private(set) var state = State.initial
    let format: String
    /// False for per-thread files: a second `beginThread` is then a caller bug.
    let allowsManyThreads: Bool
    private var threads = 0

    init(format: String, allowsManyThreads: Bool) {
        self.format = format
        self.allowsManyThreads = allowsManyThreads
    }

    mutating func beginFile() throws { try move(from: .initial, to: .inFile, "begin file") }
    mutating func beginThread() throws {
        guard allowsManyThreads || threads == 0 else {
            throw ExportError(code: .invalidState, operation: "\(format): begin a second thread without singleFile")
        }
        try move(from: .inFile, to: .inThread, "begin thread")
        threads += 1
    }
    func message() throws { try check(.inThread, "write message") }
    mutating func endThread() throws { try move(from: .inThread, to: .inFile, "end thread") }
    mutating func endFile() throws { try move(from: .inFile, to: .finished, "end file") }

    private func check(_ expected: State, _ operation: String) throws {
        guard state == expected else { throw ExportError(code: .invalidState, operation: "\(format): \(operation)") }
    }

    private mutating func move(from: State, to: State, _ operation: String) throws {
        try check(from, operation)
        state = to
    }
}
