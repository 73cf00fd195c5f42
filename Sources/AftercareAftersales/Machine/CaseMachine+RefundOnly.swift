import AftercareAftersalesAPI

extension CaseMachine {
    /// Refund-only (仅退款): APPROVED starts Refund; a failed refund is retried, paid out manually
    /// or closed (the failed saga released the reservation).
    package static let refundOnly = CaseMachine(
        kind: .refundOnly,
        rules: reviewRules(for: .refundOnly) + [
            .init(.approved, .refundRefunding, [], [], .refunding),
            .init(.refunding, .refundRefunded, [], [], .refunded),
        ] + CaseTransitionRule.from([.approved, .refunding], .refundFailed, [], [.recordFailureReason], .refundFailed) + [
            .init(.refundFailed, .operatorRetry, [], [], .approved),
            .init(.refundFailed, .operatorManualPayout, [], [.recordManualPayout], .approved),
            .init(.refundFailed, .operatorClose, [], [], .closedRejected),
        ],
        terminalStates: reviewTerminalStates.union([.refunded, .converted]),
        sagaOnEntry: [.approved: .refund]
    )
}
