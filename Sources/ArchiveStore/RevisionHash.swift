internal import Crypto

/// A revision's hashed fields (times in milliseconds, JSON columns as their stored text, `content` as received even
/// where the row stores NULL for "same as text").
///
/// `canonicalBytes` is the encoding documented in `Schemas/Migrations/0001_initial.sql`: the ASCII tag
/// `chat-archive/revision/1`, then each field in declaration order as NULL → `0x00`, integer → `0x01` + 8 bytes
/// big-endian, text → `0x02` + 4-byte big-endian length + UTF-8. Changing it breaks every existing chain.
struct CanonicalRevision: Equatable {
    var threadID: String?
    var messageID: String?
    var version: String?
    var sequenceID: Int64?
    var type: String?
    var senderID: String?
    var senderDisplayName: String?
    var createdOn: Int64?
    var editedOn: Int64?
    var deletedOn: Int64?
    var content: String?
    var sanitizedHTML: String?
    var text: String?
    var topic: String?
    var participants: String?
    var initiatorID: String?
    var metadata: String?
    var attachments: String?
    var observedOn: Int64?

    static let tag = Array("chat-archive/revision/1".utf8)
    /// What a thread's first revision chains from.
    static let genesis = [UInt8](repeating: 0, count: 32)

    var canonicalBytes: [UInt8] {
        var out = Self.tag
        out.reserveCapacity(
            64 + (content?.utf8.count ?? 0) + (text?.utf8.count ?? 0) + (sanitizedHTML?.utf8.count ?? 0) + 128
        )
        func put(_ value: String?) {
            guard let value else { return out.append(0) }
            out.append(2)
            let count = UInt32(truncatingIfNeeded: value.utf8.count)
            withUnsafeBytes(of: count.bigEndian) { out.append(contentsOf: $0) }
            out.append(contentsOf: value.utf8)
        }
        func put(_ value: Int64?) {
            guard let value else { return out.append(0) }
            out.append(1)
            withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) }
        }
        put(threadID)
        put(messageID)
        put(version)
        put(sequenceID)
        put(type)
        put(senderID)
        put(senderDisplayName)
        put(createdOn)
        put(editedOn)
        put(deletedOn)
        put(content)
        put(sanitizedHTML)
        put(text)
        put(topic)
        put(participants)
        put(initiatorID)
        put(metadata)
        put(attachments)
        put(observedOn)
        return out
    }

    /// `SHA-256(previous ‖ canonicalBytes)`, with `previous` = 32 zero bytes for a thread's first revision.
    func hash(previous: [UInt8]?) -> [UInt8] {
        Self.chainHash(previous: previous, canonicalBytes: canonicalBytes)
    }

    /// `SHA-256(previous ‖ canonicalBytes)` for bytes computed ahead (see `PreparedRevision`).
    static func chainHash(previous: [UInt8]?, canonicalBytes: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        // Raw buffers: the generic `update(data:)` walks a `DataProtocol`'s regions, which costs more than the hash.
        (previous ?? genesis).withUnsafeBytes { hasher.update(bufferPointer: $0) }
        canonicalBytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return hasher.finalize().withUnsafeBytes { Array($0) }
    }
}

extension Array where Element == UInt8 {
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
