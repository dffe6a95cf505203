public import Foundation

/// A range of message creation times, in UTC.
///
/// - `after:2024-05-01` (a date): created on 2024-05-02 or later, `start` = 2024-05-02T00:00:00Z inclusive.
/// - `after:2024-05-01T09:00:00Z` (a time): strictly later than that instant (`start` exclusive).
/// - `before:2024-05-01`: created before 2024-05-01T00:00:00Z (`end`, always exclusive); with a time,
///   strictly earlier than that instant. So `after:` and `before:` both exclude the day or instant named.
/// - `on:2024-05-01`: that UTC day, [2024-05-01T00:00:00Z, 2024-05-02T00:00:00Z). With a time, the UTC
///   day that contains it.
public struct SearchTimeRange: Sendable, Hashable {
    public var start: Date?
    public var startIsInclusive: Bool
    /// Exclusive upper bound.
    public var end: Date?

    public init(start: Date?, startIsInclusive: Bool = true, end: Date?) {
        self.start = start
        self.startIsInclusive = startIsInclusive
        self.end = end
    }

    init(operator name: String, time: SearchTime) {
        switch (name, time) {
        case ("after", .day(let day)): self.init(start: day.addingTimeInterval(86_400), end: nil)
        case ("after", .instant(let instant)): self.init(start: instant, startIsInclusive: false, end: nil)
        case ("before", .day(let instant)), ("before", .instant(let instant)): self.init(start: nil, end: instant)
        default:
            let day = time.day
            self.init(start: day, end: day.addingTimeInterval(86_400))
        }
    }

    /// Whether `date` falls in the range.
    public func contains(_ date: Date) -> Bool {
        if let start, startIsInclusive ? date < start : date <= start { return false }
        if let end, date >= end { return false }
        return true
    }
}
