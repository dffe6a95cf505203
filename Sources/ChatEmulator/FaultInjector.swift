import SeededRandom
import Synchronization

/// Draws the fault, if any, for each request from the current ``FaultPlan``.
///
/// A `Mutex` rather than an actor so that requests without faults pay one uncontended lock, not a hop.
final class FaultInjector: Sendable {
    enum Kind: Equatable {
        case none
        case throttle(retryAfterSeconds: Int)
        case unavailable(retryAfterSeconds: Int)
        case reset
    }

    struct Draw {
        var kind: Kind
        var latency: Duration
    }

    private let state: Mutex<(plan: FaultPlan?, generator: SplitMix64)>

    init(plan: FaultPlan?) {
        state = Mutex((plan, SplitMix64(seed: plan?.seed ?? 0)))
    }

    /// Replaces the plan and restarts its random sequence, so a given plan replays the same faults.
    func setPlan(_ plan: FaultPlan?) {
        state.withLock { $0 = (plan, SplitMix64(seed: plan?.seed ?? 0)) }
    }

    func draw() -> Draw {
        state.withLock { state in
            guard let plan = state.plan else { return Draw(kind: .none, latency: .zero) }
            let roll = state.generator.nextUnit()
            // Retry-After is 0 or 1 s: enough to exercise clients without slowing test suites down.
            let retryAfter = state.generator.nextUnit() < 0.25 ? 1 : 0
            let kind: Kind
            if roll < plan.throttleRate {
                kind = .throttle(retryAfterSeconds: retryAfter)
            } else if roll < plan.throttleRate + plan.unavailableRate {
                kind = .unavailable(retryAfterSeconds: retryAfter)
            } else if roll < plan.throttleRate + plan.unavailableRate + plan.resetRate {
                kind = .reset
            } else {
                kind = .none
            }
            return Draw(kind: kind, latency: plan.latency)
        }
    }
}
