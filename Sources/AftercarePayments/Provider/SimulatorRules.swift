/// How the built-in provider simulators behave: latency, declines and lost answers, all
/// deterministic for a given seed, so failure paths are testable.
public struct SimulatorRules: Sendable, Hashable {
    /// `payments.simulator.latencyMs`: how long each charge or refund takes. Default 0.
    package var latency: Duration = .zero
    /// `payments.simulator.timeoutRate` (0…1): the share of charges and refunds whose answer is
    /// lost AFTER the provider acted on them — the dangerous case. Default 0.
    package var timeoutRate: Double = 0
    /// `payments.simulator.seed`: seeds the draws of `timeoutRate`. Default 1.
    package var seed: UInt64 = 1
    /// `payments.simulator.timeoutFirstRefunds`: the first N refund calls act, then lose their
    /// answer. Default 0.
    package var timeoutFirstRefunds: Int = 0
    /// `payments.simulator.timeoutFirstCharges`: the first N charge calls act, then lose their
    /// answer. Default 0.
    package var timeoutFirstCharges: Int = 0
    /// `payments.simulator.loseFirstRefunds`: the first N refund calls are lost BEFORE the provider
    /// acts (it has no record of them). Counted after `timeoutFirstRefunds`. Default 0.
    package var loseFirstRefunds: Int = 0
    /// `payments.simulator.declineAmountsEndingIn`: digits; a charge or refund whose amount in minor
    /// units ends in them is declined (e.g. "99": 100.99 CNY is declined). Empty: none. Default "".
    package var declineAmountsEndingIn: String = ""
    /// `payments.simulator.declineFirstRefundEndingIn`: digits; the first refund of a charge whose
    /// amount ends in them is declined (the merchant's balance was short), a later refund of that
    /// charge under another key is paid — a decline an operator's retry gets past. Kept in memory:
    /// a restart forgets which charges were declined. Empty: none. Default "".
    package var declineFirstRefundEndingIn: String = ""

    public init() {}

    /// The decline reason for `amountMinor`, if the rules decline it.
    func declineReason(amountMinor: Int64) -> String? {
        guard !self.declineAmountsEndingIn.isEmpty, String(amountMinor).hasSuffix(self.declineAmountsEndingIn) else { return nil }
        return "declined by the simulator: amounts ending in \(self.declineAmountsEndingIn) are refused"
    }

    /// Whether the first-refund rule applies to a refund of `amountMinor`.
    func declinesFirstRefund(amountMinor: Int64) -> Bool {
        !self.declineFirstRefundEndingIn.isEmpty && String(amountMinor).hasSuffix(self.declineFirstRefundEndingIn)
    }
}
