internal import Crypto

enum Hashing {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Lower-case hex of SHA-256(`text` as UTF-8), cut to `length` digits.
    static func sha256Hex(_ text: String, length: Int = 64) -> String {
        hex(SHA256.hash(data: Array(text.utf8)), length: length)
    }

    /// `[0-9A-Za-z-]{1,64}`: safe as is in a Message-ID's left part or an HTML id.
    static func isSimpleToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 64
            && text.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || byte == 0x2D
            }
    }

    static func hex(_ bytes: some Sequence<UInt8>, length: Int = 64) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0xF)])
            if out.count >= length { break }
        }
        return String(decoding: out.prefix(length), as: UTF8.self)
    }
}
