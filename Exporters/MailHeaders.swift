import ArchiveModel
import Foundation

/// RFC 5322 header lines: 7-bit, folded at whitespace to at most 78 columns where possible, non-ASCII text as
/// RFC 2047 `=?UTF-8?B?…?=` words of at most 45 octets each (never splitting a character).
enum MailHeaders {
    /// Appends `Name: tokens` folded: tokens are joined by one space, and a fold replaces that space.
    static func append(_ name: String, _ tokens: [String], into out: inout [UInt8]) {
        out.append(contentsOf: name.utf8)
        out.append(0x3A)
        var column = name.utf8.count + 1
        for token in tokens {
            let width = token.utf8.count
            if column + 1 + width > 78, column > name.utf8.count + 1 {
                out.append(0x0A)
                column = 0
            }
            out.append(0x20)
            out.append(contentsOf: token.utf8)
            column += 1 + width
        }
        out.append(0x0A)
    }

    /// Tokens for unstructured text (Subject, X-Chat values): plain words when it is short printable ASCII
    /// without `=?`, else encoded words. Control characters and line breaks become spaces first.
    static func unstructured(_ text: String) -> [String] {
        // Fast path for ids and times: one printable word.
        if text.utf8.count <= 900, text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }), isPlainASCII(text), !text.isEmpty {
            return [text]
        }
        let flat = text.singleLine
        if isPlainASCII(flat) {
            let words = flat.split(separator: " ", omittingEmptySubsequences: true)
            if words.allSatisfy({ $0.utf8.count <= 900 }), !words.isEmpty,
                words.joined(separator: " ") == flat
            {
                return words.map(String.init)
            }
        }
        return encodedWords(flat)
    }

    /// Tokens for a display name before an address: atoms, a quoted-string, or encoded words.
    static func phrase(_ name: String) -> [String] {
        let flat = name.singleLine.trimmingCharacters(in: .whitespaces)
        if isPlainASCII(flat), !flat.isEmpty {
            let words = flat.split(separator: " ", omittingEmptySubsequences: true)
            if words.allSatisfy({ $0.utf8.count <= 70 && $0.utf8.allSatisfy(isAtext) }) {
                return words.map(String.init)
            }
            if flat.utf8.count <= 70 {
                var quoted = "\""
                for scalar in flat.unicodeScalars {
                    if scalar == "\"" || scalar == "\\" { quoted += "\\" }
                    quoted.unicodeScalars.append(scalar)
                }
                return [quoted + "\""]
            }
        }
        return encodedWords(flat.isEmpty ? "?" : flat)
    }

    /// `=?UTF-8?B?…?=` words of at most 45 octets of input each, cut at scalar boundaries; spaces stay inside.
    static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk.removeAll(keepingCapacity: true)
            }
            chunk.append(contentsOf: bytes)
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words
    }

    /// Printable ASCII with no encoded-word opener, so it can be written as is.
    static func isPlainASCII(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            guard byte >= 0x20, byte < 0x7F, !(previous == 0x3D && byte == 0x3F) else { return false }
            previous = byte
        }
        return true
    }

    /// RFC 5322 atext (letters, digits and ``!#$%&'*+-/=?^_`{|}~``).
    static func isAtext(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default: "!#$%&'*+-/=?^_`{|}~".utf8.contains(byte)
        }
    }

    /// A meaningless, stable address for a raw id: `{kind}-{hex24(sha256(rawId))}@chat-archive.invalid`.
    static func address(rawID: String) -> String {
        let kind: String
        if rawID.hasPrefix("8:teamsvisitor:") {
            kind = "visitor"
        } else {
            switch IdentityKind(rawID: rawID) {
            case .communicationUser: kind = "acs"
            case .microsoftTeamsUser: kind = "teams"
            case .phoneNumber: kind = "phone"
            case .microsoftTeamsApp: kind = "app"
            case .unknown: kind = "id"
            }
        }
        return kind + "-" + Hashing.sha256Hex(rawID, length: 24) + "@chat-archive.invalid"
    }

    private static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Date parts in UTC, taken from the RFC 3339 form so there is one calendar implementation.
    private static func parts(_ date: Date) -> (weekday: String, day: Int, month: String, year: String, time: String) {
        var stamp: [UInt8] = []
        Timestamp.append(date, to: &stamp)
        func number(_ range: Range<Int>) -> Int { Int(String(decoding: stamp[range], as: UTF8.self)) ?? 0 }
        let seconds = Int64((date.timeIntervalSince1970).rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let weekday = weekdays[Int(((days % 7) + 7) % 7)]
        let year = String(decoding: stamp[0..<4], as: UTF8.self)
        let time = String(decoding: stamp[11..<19], as: UTF8.self)
        return (weekday, number(8..<10), months[number(5..<7) - 1], year, time)
    }

    /// RFC 5322 §3.3 in UTC: `Tue, 14 Nov 2023 22:13:20 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        let p = parts(date)
        return "\(p.weekday), \(p.day) \(p.month) \(p.year) \(p.time) +0000"
    }

    /// The asctime form of the mbox `From_` line: `Tue Nov 14 22:13:20 2023`, day padded with a space.
    static func asctime(_ date: Date) -> String {
        let p = parts(date)
        let day = p.day < 10 ? " \(p.day)" : "\(p.day)"
        return "\(p.weekday) \(p.month) \(day) \(p.time) \(p.year)"
    }
}
