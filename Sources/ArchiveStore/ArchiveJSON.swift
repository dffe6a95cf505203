import ArchiveModel
import Foundation

/// The JSON stored in archive columns. Wire shapes are internal; sorted keys make the bytes deterministic,
/// which matters because the hash chain covers them.
struct ParticipantJSON: Codable {
    var rawId: String
    var displayName: String?
    var shareHistoryTime: String?
}

struct AttachmentJSON: Codable {
    var id: String
    var type: String
    var name: String?
    var url: String?
    var previewUrl: String?
}

struct RetentionJSON: Codable {
    var kind: String
    var deleteThreadAfterDays: Int?
}

/// Encodes and decodes the JSON columns; owned by the store's actor like the connection.
struct ArchiveJSON {
    private let encoder: JSONEncoder
    private let decoder = JSONDecoder()

    init() {
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    private func encode(_ value: some Encodable) throws(ArchiveStoreError) -> String {
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw ArchiveStoreError(code: .corruptRow, message: "cannot encode a JSON column", underlying: error)
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, _ text: String?) throws(ArchiveStoreError) -> T? {
        guard let text else { return nil }
        do {
            return try decoder.decode(T.self, from: Data(text.utf8))
        } catch {
            throw ArchiveStoreError(code: .corruptRow, message: "malformed JSON column", underlying: error)
        }
    }

    func metadata(_ value: [String: String]) throws(ArchiveStoreError) -> String? {
        value.isEmpty ? nil : try encode(value)
    }

    func metadata(from text: String?) throws(ArchiveStoreError) -> [String: String] {
        try decode([String: String].self, text) ?? [:]
    }

    func strings(_ value: [String]) throws(ArchiveStoreError) -> String { try encode(value) }

    func strings(from text: String?) throws(ArchiveStoreError) -> [String] {
        try decode([String].self, text) ?? []
    }

    func participants(_ value: [MessageParticipant]) throws(ArchiveStoreError) -> String? {
        guard !value.isEmpty else { return nil }
        return try encode(
            value.map {
                ParticipantJSON(
                    rawId: $0.rawID,
                    displayName: $0.displayName,
                    shareHistoryTime: $0.shareHistoryTime.map(Timestamp.format)
                )
            }
        )
    }

    func participants(from text: String?) throws(ArchiveStoreError) -> [MessageParticipant] {
        (try decode([ParticipantJSON].self, text) ?? []).map {
            MessageParticipant(
                rawID: $0.rawId,
                displayName: $0.displayName,
                shareHistoryTime: $0.shareHistoryTime.flatMap { Timestamp.parse($0) }
            )
        }
    }

    func attachments(_ value: [MessageAttachment]) throws(ArchiveStoreError) -> String? {
        guard !value.isEmpty else { return nil }
        return try encode(
            value.map {
                AttachmentJSON(id: $0.id, type: $0.type, name: $0.name, url: $0.url, previewUrl: $0.previewURL)
            }
        )
    }

    func attachments(from text: String?) throws(ArchiveStoreError) -> [MessageAttachment] {
        (try decode([AttachmentJSON].self, text) ?? []).map {
            MessageAttachment(id: $0.id, type: $0.type, name: $0.name, url: $0.url, previewURL: $0.previewUrl)
        }
    }

    func retention(_ value: RetentionPolicy?) throws(ArchiveStoreError) -> String? {
        guard let value else { return nil }
        switch value {
        case .none: return try encode(RetentionJSON(kind: "none"))
        case .threadCreationDate(let days):
            return try encode(RetentionJSON(kind: "threadCreationDate", deleteThreadAfterDays: days))
        case .unknown(let kind): return try encode(RetentionJSON(kind: kind))
        }
    }

    func retention(from text: String?) throws(ArchiveStoreError) -> RetentionPolicy? {
        guard let json = try decode(RetentionJSON.self, text) else { return nil }
        switch json.kind {
        case "none": return RetentionPolicy.none
        case "threadCreationDate": return .threadCreationDate(deleteThreadAfterDays: json.deleteThreadAfterDays ?? 0)
        default: return .unknown(json.kind)
        }
    }
}

extension Date {
    /// Milliseconds since the epoch, truncated like `Timestamp.format`: the archive's time unit.
    var archiveMillis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }

    init(archiveMillis: Int64) { self.init(timeIntervalSince1970: Double(archiveMillis) / 1000) }
}

extension Statement {
    /// A millisecond column as a date.
    func date(_ column: Int32) -> Date { Date(archiveMillis: int64(column)) }

    func optionalDate(_ column: Int32) -> Date? { isNull(column) ? nil : date(column) }

    /// A REAL seconds column (sync cursors) as a date.
    func optionalSecondsDate(_ column: Int32) -> Date? {
        isNull(column) ? nil : Date(timeIntervalSince1970: double(column))
    }
}
