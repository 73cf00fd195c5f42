import AftercareAftersalesAPI

extension CaseMachine {
    /// Exchange (换货): APPROVED starts Return setup (reserving the replacement); the return part ends
    /// in RETURN_ACCEPTED, which starts Exchange fulfilment. Out of stock offers a conversion.
    package static let exchange = CaseMachine(
        kind: .exchange,
        rules: reviewRules(for: .exchange) + [
            .init(.approved, .returnSetupAwaitingReturn, [], [.recordLabel, .startTimer(.ship)], .awaitingReturnShipment),
            .init(.approved, .returnSetupOutOfStock, [], [.startTimer(.offer)], .conversionOffered),
        ] + returnRules(accepted: .returnAccepted, setsAmount: false) + [
            .init(.returnAccepted, .exchangeReplacementShipped, [], [.recordTracking], .replacementShipped),
            .init(.returnAccepted, .exchangeOutOfStock, [], [.startTimer(.offer)], .conversionOffered),
            .init(.replacementShipped, .carrierDelivered, [.onReplacementShipment], [.recordCarrierEvent], .exchanged),
            .init(.replacementShipped, .carrierLost, [.onReplacementShipment], [.recordCarrierEvent], .returnAccepted),
            .init(.conversionOffered, .buyerAccept, [.goodsWithBuyer], [.openLinkedCase(.returnAndRefund)], .converted),
            .init(.conversionOffered, .buyerAccept, [.goodsCameBack], [.openLinkedCase(.refundOnly)], .converted),
        ] + CaseTransitionRule.on(.conversionOffered, [.buyerDecline, .offerTimerFired], [.goodsWithBuyer], [], .closedWithdrawn)
            + CaseTransitionRule.on(
                .conversionOffered, [.buyerDecline, .offerTimerFired], [.goodsCameBack], [.openLinkedCase(.refundOnly)], .converted),
        terminalStates: reviewTerminalStates.union(returnTerminalStates).union([.exchanged, .converted]),
        sagaOnEntry: [
            .approved: .returnSetup, .returnCancelling: .returnCancellation, .returningToBuyer: .returnToBuyer,
            .returnAccepted: .exchangeFulfilment,
        ]
    )
}
