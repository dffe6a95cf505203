internal import Crypto
public import Foundation

/// A `TextOutputStream` that writes UTF-8 to a file handle in 64 KiB chunks while computing SHA-256 and the byte
/// count, for the manifest. The handle stays owned by the caller.
///
/// `write` cannot throw, so the first write error is kept and rethrown by `finish()`; later writes are dropped.
public struct HashingFileOutput: TextOutputStream {
    private let handle: FileHandle
    private var hasher = SHA256()
    private var pending: [UInt8] = []
    private var failure: (any Error)?
    public private(set) var byteCount = 0

    public init(handle: FileHandle) {
        self.handle = handle
        pending.reserveCapacity(1 << 16)
    }

    public mutating func write(_ string: String) {
        guard failure == nil else { return }
        pending.append(contentsOf: string.utf8)
        if pending.count >= 1 << 16 { flush() }
    }

    private mutating func flush() {
        guard !pending.isEmpty, failure == nil else { return }
        hasher.update(data: pending)
        byteCount += pending.count
        do {
            try handle.write(contentsOf: pending)
        } catch {
            failure = error
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and returns the lower-case hex SHA-256 of everything written and its size.
    public mutating func finish() throws -> (sha256: String, byteCount: Int) {
        flush()
        if let failure {
            throw ExportError(code: .writeFailed, operation: "write export file", underlying: failure)
        }
        return (Hashing.hex(hasher.finalize()), byteCount)
    }
}

/// A `TextOutputStream` that keeps nothing but the SHA-256 and byte count (for checks and benchmarks).
public struct DigestOutput: TextOutputStream {
    private var hasher = SHA256()
    public private(set) var byteCount = 0

    public init() {}

    public mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { bytes in
            hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
            byteCount += bytes.count
        }
    }

    /// Lower-case hex SHA-256 of everything written so far.
    public var sha256: String { Hashing.hex(hasher.finalize()) }
}
