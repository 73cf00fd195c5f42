import AftercareAftersalesAPI
import AftercareRPC
import Testing

@testable import AftercareAftersales

/// What the machines do beyond their rows: the exchange's substitution, carrier events recorded
/// only, the implied pick-up, timers stopped on leaving a state, sagas started on entry.
@Suite struct CaseMachineBehaviourTests {
    let returnAndRefund = CaseMachine.returnAndRefund
    let exchange = CaseMachine.exchange

    @Test func theExchangeHasReturnAcceptedWhereReturnAndRefundHasRefundApproved() {
        let shared: Set<CaseState> = [
            .awaitingReturnShipment, .returnCancelling, .returnInTransit, .returnDelivered, .inspecting,
            .receiptDisputed, .escalatedHeld, .returningToBuyer,
        ]
        let returnRows = returnAndRefund.rules.filter { shared.contains($0.from) }
        let exchangeRows = exchange.rules.filter { shared.contains($0.from) }
        #expect(returnRows.count == exchangeRows.count)
        for (refund, swap) in zip(returnRows, exchangeRows) {
            #expect(swap.from == refund.from && swap.event == refund.event && swap.guards == refund.guards)
            #expect(swap.to == (refund.to == .refundApproved ? .returnAccepted : refund.to))
            #expect(swap.effects == refund.effects.filter { if case .setAmount = $0 { false } else { true } })
        }
        #expect(returnRows.filter { $0.to == .refundApproved }.count == 6)
        #expect(!exchange.states.contains(.refundApproved))
        #expect(!exchange.states.contains(.refunding))
        #expect(!exchange.states.contains(.refundFailed))
        #expect(!returnAndRefund.states.contains(.returnAccepted))
    }

    @Test func aLostReturnPaysTheFullAmountOrAcceptsTheExchange() throws {
        let facts = CaseFacts(shipment: .return)
        let refund = try returnAndRefund.apply(.carrierLost, in: .returnInTransit, facts: facts)
        #expect(refund.to == .refundApproved)
        #expect(refund.effects == [.recordCarrierEvent, .setAmount(.fullApproved), .startSaga(.refund)])
        let swap = try exchange.apply(.carrierLost, in: .returnInTransit, facts: facts)
        #expect(swap.to == .returnAccepted)
        #expect(swap.effects == [.recordCarrierEvent, .startSaga(.exchangeFulfilment)])
    }

    @Test(arguments: [CaseEvent.carrierPickedUp, .carrierDelivered, .carrierLost, .carrierOther])
    func carrierEventsDuringACancellationAreRecordedOnly(event: CaseEvent) throws {
        for machine in [returnAndRefund, exchange] {
            let transition = try machine.apply(event, in: .returnCancelling, facts: CaseFacts(shipment: .return))
            #expect(transition.to == .returnCancelling)
            #expect(transition.effects == [.recordCarrierEvent])
            #expect(!transition.recordedOnly, "an explicit row of the table")
        }
    }

    @Test func carrierEventsNoRowMovesOnAreKeptInTheHistoryOnly() throws {
        let cases: [(CaseMachine, CaseState, CaseEvent, CaseFacts.Shipment?)] = [
            (returnAndRefund, .returnInTransit, .carrierOther, .return),  // an in-transit scan
            (returnAndRefund, .returnInTransit, .carrierPickedUp, .return),  // a duplicate pick-up
            (returnAndRefund, .returnDelivered, .carrierPickedUp, .return),  // older than the state
            (returnAndRefund, .inspecting, .carrierDelivered, .return),  // a duplicate delivery
            (returnAndRefund, .awaitingReturnShipment, .carrierDelivered, .backToBuyer),  // another shipment
            (exchange, .replacementShipped, .carrierDelivered, .return),  // the return's late delivery
            (exchange, .returningToBuyer, .carrierDelivered, .return),
            (CaseMachine.refundOnly, .approved, .carrierOther, nil),
        ]
        for (machine, state, event, shipment) in cases {
            let transition = try machine.apply(event, in: state, facts: CaseFacts(shipment: shipment))
            #expect(transition.recordedOnly, "\(state) \(event.rawValue)")
            #expect(transition.to == state)
            #expect(transition.effects == [.recordCarrierEvent])
        }
    }

    @Test func aClosedCaseRefusesEvenCarrierEvents() {
        #expect(throws: CaseRefusal.self) {
            try returnAndRefund.apply(.carrierDelivered, in: .refunded, facts: CaseFacts(shipment: .return))
        }
        let refusal = CaseRefusal(kind: .exchange, state: .exchanged, event: .carrierLost, failedGuards: [])
        #expect(refusal.description == "case is EXCHANGED: saga Carrier progress: lost is not allowed (the case is closed)")
    }

    @Test func aDeliveryBeforeItsPickUpImpliesThePickUp() throws {
        for machine in [returnAndRefund, exchange] {
            let transition = try machine.apply(.carrierDelivered, in: .awaitingReturnShipment, facts: CaseFacts(shipment: .return))
            #expect(transition.to == .returnDelivered)
            #expect(transition.effects == [.stopTimer(.ship), .recordCarrierEvent, .implyPickUp, .startTimer(.confirm)])
            let inTransit = try machine.apply(.carrierDelivered, in: .returnInTransit, facts: CaseFacts(shipment: .return))
            #expect(!inTransit.effects.contains(.implyPickUp))
        }
    }

    @Test func leavingAStateStopsItsTimersAndASelfLoopDoesNot() throws {
        let review = CaseMachine.refundOnly
        let approved = try review.apply(.sellerApprove, in: .pendingSeller, facts: CaseFacts())
        #expect(approved.effects == [.stopTimer(.seller), .startSaga(.refund)])
        let request = try review.apply(.platformRequestEvidence, in: .escalated, facts: CaseFacts())
        #expect(request.effects == [.recordEvidenceRequest, .startTimer(.arbiter)])
        let ruled = try review.apply(.platformRuleForBuyer, in: .escalated, facts: CaseFacts())
        #expect(ruled.effects == [.stopTimer(.arbiter), .setAmount(.ruling), .startSaga(.refund)])
        let declined = try review.apply(.buyerDecline, in: .negotiating, facts: CaseFacts())
        #expect(declined.effects == [.stopTimer(.offer), .startTimer(.seller)])
    }

    @Test func sagasStartOnEntryFromAnotherStateOnly() throws {
        let created = try returnAndRefund.apply(.returnToBuyerShipmentCreated, in: .returningToBuyer, facts: CaseFacts())
        #expect(created.effects == [.recordTracking])
        let ruled = try returnAndRefund.apply(.platformRuleForSeller, in: .escalatedHeld, facts: CaseFacts())
        #expect(ruled.effects.last == .startSaga(.returnToBuyer))
        let retried = try returnAndRefund.apply(.operatorRetry, in: .refundFailed, facts: CaseFacts())
        #expect(retried.to == .refundApproved)
        #expect(retried.effects == [.startSaga(.refund)])
        let relost = try exchange.apply(.carrierLost, in: .replacementShipped, facts: CaseFacts(shipment: .replacement))
        #expect(relost.effects.last == .startSaga(.exchangeFulfilment))
        let withdrawn = try exchange.apply(.buyerWithdraw, in: .awaitingReturnShipment, facts: CaseFacts())
        #expect(withdrawn.effects == [.stopTimer(.ship), .recordCancellation, .startSaga(.returnCancellation)])
    }

    @Test func aCancelledReturnClosesByWhatStartedIt() throws {
        for machine in [returnAndRefund, exchange] {
            let withdrawn = try machine.apply(.returnCancellationClosed, in: .returnCancelling, facts: CaseFacts(cancellation: .buyerWithdrew))
            #expect(withdrawn.to == .closedWithdrawn && withdrawn.isTerminal)
            let expired = try machine.apply(.returnCancellationClosed, in: .returnCancelling, facts: CaseFacts(cancellation: .shipByExpired))
            #expect(expired.to == .closedExpired && expired.isTerminal)
            #expect(throws: CaseRefusal.self) {
                try machine.apply(.returnCancellationClosed, in: .returnCancelling, facts: CaseFacts())
            }
        }
    }

    @Test func aConversionOpensTheLinkedCaseTheGoodsCallFor() throws {
        let withBuyer = try exchange.apply(.buyerAccept, in: .conversionOffered, facts: CaseFacts(goodsWithBuyer: true))
        #expect(withBuyer.effects == [.stopTimer(.offer), .openLinkedCase(.returnAndRefund)])
        let cameBack = try exchange.apply(.buyerAccept, in: .conversionOffered, facts: CaseFacts(goodsWithBuyer: false))
        #expect(cameBack.effects == [.stopTimer(.offer), .openLinkedCase(.refundOnly)])
        let declinedWithGoods = try exchange.apply(.offerTimerFired, in: .conversionOffered, facts: CaseFacts(goodsWithBuyer: true))
        #expect(declinedWithGoods.to == .closedWithdrawn)
        let declinedWithout = try exchange.apply(.buyerDecline, in: .conversionOffered, facts: CaseFacts(goodsWithBuyer: false))
        #expect(declinedWithout.to == .converted)
        #expect(declinedWithout.effects.contains(.openLinkedCase(.refundOnly)))
        let returnRequired = try CaseMachine.refundOnly.apply(.buyerAccept, in: .negotiating, facts: CaseFacts(offer: .returnRequired))
        #expect(returnRequired.to == .converted)
        #expect(returnRequired.effects.contains(.openLinkedCase(.returnAndRefund)))
    }

    @Test func onlyARefundOnlyCaseClosesAfterAFailedRefund() throws {
        let closed = try CaseMachine.refundOnly.apply(.operatorClose, in: .refundFailed, facts: CaseFacts())
        #expect(closed.to == .closedRejected)
        #expect(throws: CaseRefusal.self) {
            try returnAndRefund.apply(.operatorClose, in: .refundFailed, facts: CaseFacts())
        }
    }

    @Test func aRefusalMapsToFailedPreconditionNamingTheState() {
        do {
            _ = try CaseMachine.refundOnly.apply(.sellerReject, in: .pendingSeller, facts: CaseFacts(sellerMayRefuse: false))
            Issue.record("a protected case was refused")
        } catch {
            #expect(error.rpcError.code == .failedPrecondition)
            #expect(error.rpcError.outcome == .notExecuted)
            #expect(
                error.rpcError.message
                    == "case is PENDING_SELLER: seller.reject is not allowed (requires seller_may_refuse: "
                    + "the decision lets the seller refuse (not an unshipped order, not a no-reason return in its window))")
        }
    }
}
