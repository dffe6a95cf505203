import Foundation

/// Failures to inject into responses, deterministic for a given seed and request order.
///
/// Parsed from a spec like `429=0.05,503=0.02,reset=0.01,latency=20ms,seed=7`: each request draws once, and
/// gets a 429 (with `Retry-After`), a 503 (with `Retry-After`) or a connection reset mid-response with the
/// given probabilities. `latency` delays every response.
public struct FaultPlan: Sendable, Hashable {
    public var throttleRate: Double
    public var unavailableRate: Double
    public var resetRate: Double
    public var latency: Duration
    public var seed: UInt64

    public init(
        throttleRate: Double = 0,
        unavailableRate: Double = 0,
        resetRate: Double = 0,
        latency: Duration = .zero,
        seed: UInt64 = 1
    ) {
        self.throttleRate = throttleRate
        self.unavailableRate = unavailableRate
        self.resetRate = resetRate
        self.latency = latency
        self.seed = seed
    }

    /// Parses a comma-separated spec. Keys: `429`, `503`, `reset` (probabilities in 0...1), `latency` (`20ms`,
    /// `1s` or a plain number of milliseconds) and `seed` (an unsigned integer).
    ///
    /// Throws ``EmulatorError`` with code `invalidConfiguration` naming the bad item.
    public init(parsing spec: String) throws {
        self.init()
        var seen: Set<String> = []
        let items = spec.split(separator: ",", omittingEmptySubsequences: false)
        for rawItem in items {
            let item = rawItem.trimmingCharacters(in: .whitespaces)
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw Self.error("fault item '\(item)' is not KEY=VALUE")
            }
            let key = String(parts[0]).lowercased()
            let value = String(parts[1])
            guard seen.insert(key).inserted else { throw Self.error("fault key '\(key)' appears twice") }
            switch key {
            case "429": throttleRate = try Self.probability(value, key: key)
            case "503": unavailableRate = try Self.probability(value, key: key)
            case "reset": resetRate = try Self.probability(value, key: key)
            case "latency": latency = try Self.duration(value)
            case "seed":
                guard let parsed = UInt64(value) else {
                    throw Self.error("fault seed '\(value)' is not an unsigned integer")
                }
                seed = parsed
            default:
                throw Self.error("unknown fault key '\(key)' (expected 429, 503, reset, latency or seed)")
            }
        }
        guard throttleRate + unavailableRate + resetRate <= 1 else {
            throw Self.error("fault probabilities add up to more than 1")
        }
    }

    private static func probability(_ text: String, key: String) throws -> Double {
        guard let value = Double(text), value.isFinite, (0...1).contains(value) else {
            throw error("fault rate for '\(key)' must be a number between 0 and 1, got '\(text)'")
        }
        return value
    }

    private static func duration(_ text: String) throws -> Duration {
        let (number, scale): (Substring, Double) =
            if text.hasSuffix("ms") {
                (text.dropLast(2), 1)
            } else if text.hasSuffix("s") {
                (text.dropLast(1), 1000)
            } else {
                (Substring(text), 1)
            }
        guard let value = Double(number), value.isFinite, value >= 0, value * scale <= 60_000 else {
            throw error("fault latency '\(text)' must be like 20ms or 1s (at most 60s)")
        }
        return .milliseconds(Int64((value * scale).rounded()))
    }

    private static func error(_ message: String) -> EmulatorError {
        EmulatorError(code: .invalidConfiguration, message: message)
    }
}

extension FaultPlan: CustomStringConvertible {
    public var description: String {
        let ms = latency.components.seconds * 1000 + latency.components.attoseconds / 1_000_000_000_000_000
        return "429=\(throttleRate),503=\(unavailableRate),reset=\(resetRate),latency=\(ms)ms,seed=\(seed)"
    }
}
