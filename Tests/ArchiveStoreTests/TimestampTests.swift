import ArchiveModel
import Foundation
import Testing

@Suite struct TimestampTests {
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"),
        (1_796_242_097.0, "2026-12-02T20:08:17.000Z"),
        (951_782_400.5, "2000-02-29T00:00:00.500Z"),
        (-1.0, "1969-12-31T23:59:59.000Z"),
    ])
    func formatsUTCWithMilliseconds(seconds: Double, expected: String) {
        #expect(Timestamp.format(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test func parsesWhatTheServiceAndTheSDKSend() throws {
        let whole = try #require(Timestamp.parse("2023-12-13T11:38:55Z"))
        #expect(Timestamp.format(whole) == "2023-12-13T11:38:55.000Z")
        let sevenDigits = try #require(Timestamp.parse("2020-06-25T17:44:37.6830000Z"))
        #expect(Timestamp.format(sevenDigits) == "2020-06-25T17:44:37.683Z")
        let offset = try #require(Timestamp.parse("2023-12-14T11:38:53.6940927+00:00"))
        #expect(Timestamp.format(offset) == "2023-12-14T11:38:53.694Z")
        let shifted = try #require(Timestamp.parse("2024-01-01T09:00:00+09:00"))
        #expect(Timestamp.format(shifted) == "2024-01-01T00:00:00.000Z")
        #expect(Timestamp.parse("2024-03-01").map(Timestamp.format) == "2024-03-01T00:00:00.000Z")
    }

    @Test(arguments: ["", "2024-13-01", "2023-02-29", "2024-01-01 12:00:00Z", "2024-01-01T12:00:00", "yesterday"])
    func rejectsMalformedTimes(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }
}
