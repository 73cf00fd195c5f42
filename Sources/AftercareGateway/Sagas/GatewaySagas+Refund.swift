import SwiftProtobuf
import AftercareAftersalesAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import AftercareSagas

extension GatewaySagas {
    /// **Refund** — a refund-only case enters `APPROVED`, or any case enters `REFUND_APPROVED`:
    /// (1) orders reserve the refund amount, or adjust the case's reservation to the final amount,
    /// in one call (`ReserveRefund` with `adjust_held`) — compensation: restore the reservation as
    /// it was (none, for refund-only) → (2) aftersales
    /// record "refunding" — compensation: nothing to undo → (3) **pivot**: payments refund (through
    /// the manual channel when an operator recorded a payout); a definitive decline is a refusal
    /// that compensates (2) and (1) → (4) orders commit the refund, release any surplus and restock
    /// the lines accepted in good condition → (5) aftersales record "refunded". On compensated:
    /// aftersales record "refund failed" with the provider's reason.
    static func refund(_ configuration: Configuration) -> SagaDefinition {
        let reserve = Self.reserveRefund(adjustingHeld: true)
        let refunding = SagaAction.unary(
            AftersalesMethods.recordRefunding, on: Participant.aftersales,
            request: { values in try .with { $0.caseID = try values.require(SagaKey.caseID) } })
        return Self.definition(
            Name.refund, configuration,
            steps: [
                .compensable("reserve_refund", reserve, compensation: reserve, retry: configuration.retry),
                .compensable("record_refunding", refunding, compensation: refunding, retry: configuration.retry),
                .pivot(
                    "refund",
                    .choosing(
                        { $0.isManualPayout }, Self.manualPayout, else: Self.providerRefund { "after-sales case \(try $0.require(SagaKey.caseID))" }),
                    retry: configuration.untilDone),
                .forward("commit_refund", Self.commitRefund, retry: configuration.untilDone),
                .forward("record_refunded", Self.recordRefunded, retry: configuration.untilDone),
            ],
            onCompensated: .forward(
                "record_refund_failed", Self.recordOutcome(AftersalesMethods.recordRefundFailed) { $0.turnedBackBecause },
                retry: configuration.untilDone))
    }

    /// Payments refund the order's payment (`payment_id`, `amount_minor` in `currency`) through its
    /// provider, saying why; a PENDING answer is not settled.
    static func providerRefund(reason: @escaping @Sendable (SagaValues) throws -> String) -> SagaAction {
        .unary(
            PaymentsMethods.refund, on: Participant.payments,
            request: { values in
                try .with {
                    $0.paymentID = try values.require(SagaKey.paymentID)
                    $0.amount = try values.amount()
                    $0.reason = try reason(values)
                }
            },
            settledOutput: Self.settled)
    }

    /// Payments record the operator's payout through the manual channel.
    static var manualPayout: SagaAction {
        .unary(
            PaymentsMethods.recordManualPayout, on: Participant.payments,
            request: { values in
                try .with {
                    $0.orderID = try values.require(SagaKey.orderID)
                    $0.amount = try values.amount()
                    $0.reference = try values.require(SagaKey.manualPayoutReference)
                    $0.reason = "after-sales case \(try values.require(SagaKey.caseID)): manual payout"
                }
            },
            settledOutput: Self.settled)
    }

    /// A refund answer: SUCCEEDED gives its id and amount; PENDING waits (payments settles it by
    /// its key at the next call).
    @Sendable
    static func settled(_ refund: Aftercare_Payments_V1_Refund, _ values: inout SagaValues) throws(SagaStepPending) {
        guard refund.status == .refundSucceeded else {
            throw SagaStepPending("refund \(refund.refundID) is \(refund.status)")
        }
        values[SagaKey.refundID] = refund.refundID
        values[SagaKey.refundedMinor] = String(refund.amount.amountMinor)
    }

    /// Orders book the refund: the amount payments refunded, the lines refunded and returned, and
    /// the units received in order restocked.
    static var commitRefund: SagaAction {
        .unary(
            OrdersMethods.commitRefund, on: Participant.orders,
            request: { values in
                let lines = try values.lines()
                return try .with {
                    $0.caseID = try values.require(SagaKey.caseID)
                    $0.refundedAmount = try values.refunded()
                    $0.lines = lines.compactMap(\.commit)
                    $0.restock = lines.compactMap(\.restock)
                }
            })
    }

    /// Aftersales record the case refunded, with the payment refund.
    static var recordRefunded: SagaAction {
        .unary(
            AftersalesMethods.recordRefunded, on: Participant.aftersales,
            request: { values in
                try .with {
                    $0.caseID = try values.require(SagaKey.caseID)
                    $0.refundID = try values.require(SagaKey.refundID)
                    $0.amount = try values.refunded()
                }
            })
    }
}
