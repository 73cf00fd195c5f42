import AftercareAftersalesAPI

extension CaseMachine {
    /// Return-and-refund (退货退款): APPROVED starts Return setup, the return part ends in
    /// REFUND_APPROVED, which starts Refund. The goods came back, so REFUND_FAILED never closes.
    package static let returnAndRefund = CaseMachine(
        kind: .returnAndRefund,
        rules: reviewRules(for: .returnAndRefund) + [
            .init(.approved, .returnSetupAwaitingReturn, [], [.recordLabel, .startTimer(.ship)], .awaitingReturnShipment),
            .init(.approved, .returnSetupNothingRefundable, [], [.recordFailureReason], .closedRejected),
        ] + returnRules(accepted: .refundApproved, setsAmount: true) + [
            .init(.refundApproved, .refundRefunding, [], [], .refunding),
            .init(.refunding, .refundRefunded, [], [], .refunded),
        ] + CaseTransitionRule.from([.refundApproved, .refunding], .refundFailed, [], [.recordFailureReason], .refundFailed) + [
            .init(.refundFailed, .operatorRetry, [], [], .refundApproved),
            .init(.refundFailed, .operatorManualPayout, [], [.recordManualPayout], .refundApproved),
        ],
        terminalStates: reviewTerminalStates.union(returnTerminalStates).union([.refunded]),
        sagaOnEntry: [
            .approved: .returnSetup, .returnCancelling: .returnCancellation, .returningToBuyer: .returnToBuyer,
            .refundApproved: .refund,
        ]
    )
}
