public import AftercareServiceKit
import Synchronization

/// The built-in providers for `alipay`, `wechat_pay` and `card`: they act on each idempotency key
/// once, keep what they did in their own durable ``ProviderLedger``, and follow ``SimulatorRules``
/// for latency, declines and lost answers.
public final class ProviderSimulator: Sendable {
    package let ledger: ProviderLedger
    package let rules: SimulatorRules
    let clock: ServiceClock
    private let state: Mutex<State>

    /// What happens to one call, decided when it arrives.
    enum Fate: Equatable {
        /// Acts and answers.
        case answers
        /// Acts, then the answer is lost.
        case timesOut
        /// Lost before acting.
        case isLost
    }

    private struct State {
        var charges = 0
        var refunds = 0
        /// Charges whose first refund the first-refund rule declined.
        var declinedCharges: Set<String> = []
        var random: SplitMix64
    }

    public init(ledger: ProviderLedger, rules: SimulatorRules, clock: ServiceClock) {
        self.ledger = ledger
        self.rules = rules
        self.clock = clock
        self.state = Mutex(State(random: SplitMix64(seed: rules.seed)))
    }

    /// The simulated provider of `channel` (not `manual`).
    package func provider(_ channel: PaymentChannel) -> SimulatedProvider {
        precondition(channel != .manual, "the manual channel has no simulator")
        return SimulatedProvider(channel: channel, simulator: self)
    }

    /// Whether a refund of `amountMinor` on `chargeReference` is the first one the first-refund rule
    /// declines (``SimulatorRules/declineFirstRefundEndingIn``); a charge's later refunds are not.
    func declinesAsFirstRefund(chargeReference: String, amountMinor: Int64) -> Bool {
        guard self.rules.declinesFirstRefund(amountMinor: amountMinor) else { return false }
        return self.state.withLock { $0.declinedCharges.insert(chargeReference).inserted }
    }

    /// The fate of the next call of `kind`.
    func nextFate(_ kind: ProviderOperation.Kind) -> Fate {
        self.state.withLock { state in
            let draw = state.random.nextUnitInterval()
            switch kind {
            case .charge:
                state.charges += 1
                if state.charges <= self.rules.timeoutFirstCharges { return .timesOut }
            case .refund:
                state.refunds += 1
                if state.refunds <= self.rules.timeoutFirstRefunds { return .timesOut }
                if state.refunds <= self.rules.timeoutFirstRefunds + self.rules.loseFirstRefunds { return .isLost }
            }
            return draw < self.rules.timeoutRate ? .timesOut : .answers
        }
    }

    /// Runs one call of `operation` through the rules: waits the latency, then acts (once per key)
    /// and answers, or loses the answer.
    func perform(_ operation: ProviderOperation) async throws -> ProviderResult {
        if self.rules.latency > .zero {
            try await Task.sleep(for: self.rules.latency)
        }
        let fate = self.nextFate(operation.kind)
        if fate == .isLost {
            throw ProviderError("simulated: the \(operation.channel.rawValue) \(operation.kind.rawValue) request \(operation.key) was lost before the provider acted")
        }
        let stored = try await self.ledger.recordOnce(operation)
        if fate == .timesOut {
            throw ProviderError("simulated time-out: \(operation.channel.rawValue) acted on \(operation.kind.rawValue) \(operation.key) but its answer was lost")
        }
        return stored.result
    }
}
