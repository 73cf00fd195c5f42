extension CaseMachine {
    /// The return part return-and-refund and exchange share (docs/machines.md): from
    /// AWAITING_RETURN_SHIPMENT to the state where the return is accepted — REFUND_APPROVED for a
    /// return-and-refund, RETURN_ACCEPTED for an exchange (which has no amount to set).
    static func returnRules(accepted: CaseState, setsAmount: Bool) -> [CaseTransitionRule] {
        func amount(_ source: CaseEffect.AmountSource) -> [CaseEffect] { setsAmount ? [.setAmount(source)] : [] }
        var rules: [CaseTransitionRule] = [
            .init(.awaitingReturnShipment, .carrierPickedUp, [.onReturnShipment], [.recordCarrierEvent], .returnInTransit),
            .init(
                .awaitingReturnShipment, .carrierDelivered, [.onReturnShipment],
                [.recordCarrierEvent, .implyPickUp, .startTimer(.confirm)], .returnDelivered),
        ]
        rules += CaseTransitionRule.on(.awaitingReturnShipment, [.buyerWithdraw, .shipTimerFired], [], [.recordCancellation], .returnCancelling)
        rules += [
            .init(.returnCancelling, .returnCancellationClosed, [.cancelledByBuyer], [], .closedWithdrawn),
            .init(.returnCancelling, .returnCancellationClosed, [.cancelledByTimer], [], .closedExpired),
            // Too late to cancel: the carrier has the parcel, so the goods left the buyer.
            .init(.returnCancelling, .returnCancellationAlreadyPickedUp, [], [.implyPickUp], .returnInTransit),
        ]
        rules += CaseTransitionRule.on(
            .returnCancelling, [.carrierPickedUp, .carrierDelivered, .carrierLost, .carrierOther], [], [.recordCarrierEvent],
            .returnCancelling)
        rules += [
            .init(.returnInTransit, .carrierDelivered, [.onReturnShipment], [.recordCarrierEvent, .startTimer(.confirm)], .returnDelivered),
            .init(.returnInTransit, .carrierLost, [.onReturnShipment], [.recordCarrierEvent] + amount(.fullApproved), accepted),
            .init(.returnDelivered, .sellerConfirmReceipt, [], [.startTimer(.inspect)], .inspecting),
            .init(.returnDelivered, .confirmTimerFired, [], [.acceptEveryLine], accepted),
            .init(.inspecting, .sellerInspect, [.somethingAccepted], [.recordInspection] + amount(.inspected), accepted),
            .init(.inspecting, .inspectTimerFired, [], [.acceptEveryLine], accepted),
            .init(.inspecting, .sellerDisputeReceipt, [.actionHasEvidence], [.recordInspection, .startTimer(.escalate)], .receiptDisputed),
            .init(.receiptDisputed, .buyerAcceptPartial, [.somethingAccepted], amount(.inspected), accepted),
            // Accepting an inspection that accepted nothing accepts that nothing is owed: the goods go back.
            .init(.receiptDisputed, .buyerAcceptPartial, [.nothingAccepted], [], .returningToBuyer),
            .init(.receiptDisputed, .buyerEscalate, [], [], .escalatedHeld),
            .init(.receiptDisputed, .escalateTimerFired, [], [], .returningToBuyer),
            .init(.escalatedHeld, .platformRequestEvidence, [], [.recordEvidenceRequest, .startTimer(.arbiter)], .escalatedHeld),
            .init(.escalatedHeld, .arbiterTimerFired, [], [.closeEvidenceWindow], .escalatedHeld),
            .init(.escalatedHeld, .platformRuleForBuyer, [], amount(.ruling), accepted),
            .init(.escalatedHeld, .platformRuleForSeller, [], [], .returningToBuyer),
            .init(.returningToBuyer, .returnToBuyerShipmentCreated, [], [.recordTracking], .returningToBuyer),
        ]
        rules += CaseTransitionRule.on(
            .returningToBuyer, [.carrierDelivered, .carrierLost], [.onBackToBuyerShipment], [.recordCarrierEvent], .closedRejected)
        return rules
    }

    /// The terminal states the return part adds.
    static let returnTerminalStates: Set<CaseState> = [.closedExpired]
}
