import ArchiveModel
import Foundation

/// `Timestamp.format` written straight into a byte buffer (the hot path of every JSON record); the same
/// arithmetic, checked against `Timestamp.format` by the tests.
enum TimestampBytes {
    static func append(_ date: Date, to out: inout [UInt8]) {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var days = millis >= 0 ? millis / 86_400_000 : (millis - 86_399_999) / 86_400_000
        let millisOfDay = millis - days * 86_400_000
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        guard (0...9999).contains(year) else {
            out.append(contentsOf: Timestamp.format(date).utf8)  // outside the fixed-width range
            return
        }
        digits(year, 4, &out)
        out.append(0x2D)
        digits(month, 2, &out)
        out.append(0x2D)
        digits(day, 2, &out)
        out.append(UInt8(ascii: "T"))
        digits(millisOfDay / 3_600_000, 2, &out)
        out.append(0x3A)
        digits(millisOfDay / 60_000 % 60, 2, &out)
        out.append(0x3A)
        digits(millisOfDay / 1000 % 60, 2, &out)
        out.append(0x2E)
        digits(millisOfDay % 1000, 3, &out)
        out.append(UInt8(ascii: "Z"))
    }

    private static func digits(_ value: Int64, _ width: Int, _ out: inout [UInt8]) {
        var divisor: Int64 = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            out.append(0x30 + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}
