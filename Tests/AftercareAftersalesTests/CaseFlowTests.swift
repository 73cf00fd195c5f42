@testable import AftercareAftersales
import AftercareAftersalesAPI
import AftercareRPC
import AftercareServiceKit
import Testing

/// The paths of docs/machines.md that branch: conversions, escalations, refund failures and the
/// operators' actions, carrier events out of order, version tokens and parties.
@Suite("Case flows")
struct CaseFlowTests {
    typealias Harness = AftersalesHarness

    @Test("refund-only on an unshipped order: approved at once, the seller may not refuse, Refund requested")
    func unshippedRefundOnly() async throws {
        try await Harness.run { harness in
            let opened = try await harness.open(Fixtures.application(.refundOnly, status: "paid"))
            #expect(opened.record.state == "APPROVED")
            #expect(opened.record.decision.decidingRule == "unshipped_refund_only" && !opened.record.decision.sellerMayRefuse)
            #expect(opened.record.decision.sentence.contains("100.00 CNY"))
            #expect(try await harness.eventTrail(opened.record.caseID) == [
                "opened", "changed: opened", "changed: evaluate", "saga_requested: Refund",
            ])
        }
    }

    @Test("a refusal of a protected case is refused by the machine, naming the guard")
    func protectedFromRefusal() async throws {
        let policy = try ReviewPolicy.load(yaml: PolicyFixtures.editedDefault(
                "  - id: amount_above_threshold\n    when: [requested_above_review_threshold]\n    outcome: seller_review\n",
                "  - id: amount_above_threshold\n    when: [requested_above_review_threshold]\n    outcome: seller_review\n    seller_may_refuse: false\n"))
        try await Harness.run(policy: policy) { harness in
            var application = Fixtures.application(requested: 200_000)
            application.facts.paid = Fixtures.cny(300_000)
            application.facts.refundable = Fixtures.cny(300_000)
            let caseID = try await harness.open(application).record.caseID
            #expect(try await harness.get(caseID).record.decision.sellerMayRefuse == false)
            let before = try await harness.dump()
            let error = await #expect(throws: RPCError.self) { _ = try await harness.reject(caseID) }
            #expect(error?.code == .failedPrecondition && error?.message.contains("PENDING_SELLER") == true)
            #expect(error?.message.contains("seller_may_refuse") == true)
            #expect(try await harness.dump() == before)
        }
    }

    @Test("refund-only, counter-offer \"return required\" accepted: CONVERTED, a linked return-and-refund opens in APPROVED with the evidence")
    func returnRequiredConversion() async throws {
        try await Harness.run { harness in
            var application = Fixtures.application(.refundOnly)
            application.evidence = [Fixtures.photo(1)]
            let caseID = try await harness.open(application).record.caseID
            #expect(try await harness.counterOffer(caseID, amount: nil).record.offer.kind == .returnRequired)
            let converted = try await harness.act(AftersalesMethods.acceptOffer, caseID, by: "buyer_1")
            #expect(converted.record.state == "CONVERTED" && converted.record.closed)
            let linkedID = converted.record.convertedToCaseID
            let linked = try await harness.get(linkedID)
            #expect(linked.record.kind == .returnAndRefund && linked.record.state == "APPROVED")
            #expect(linked.record.convertedFromCaseID == caseID && linked.record.requested == converted.record.requested)
            #expect(linked.record.evidence.map(\.uri) == converted.record.evidence.map(\.uri))
            #expect(linked.history.map(\.event) == ["opened"] && linked.history[0].note.contains(caseID))
            #expect(try await harness.eventTrail(linkedID) == ["opened", "changed: opened", "saga_requested: Return setup"])
        }
    }

    @Test("exchange: replacement out of stock at setup → conversion offered; the goods are with the buyer, so accepting opens a return-and-refund")
    func exchangeOutOfStockAtSetup() async throws {
        try await Harness.run { harness in
            let caseID = try await harness.open(Fixtures.application(.exchange)).record.caseID
            _ = try await harness.act(AftersalesMethods.approve, caseID, by: "seller_1")
            let offered = try await harness.outcome(AftersalesMethods.recordReplacementOutOfStock, caseID, reason: "sku_line_1_L: 0 in stock")
            #expect(offered.record.state == "CONVERSION_OFFERED" && offered.record.timers.contains { $0.name == "T_offer" && $0.status == .running })
            let converted = try await harness.act(AftersalesMethods.acceptOffer, caseID, by: "buyer_1")
            #expect(converted.record.state == "CONVERTED")
            #expect(try await harness.get(converted.record.convertedToCaseID).record.kind == .returnAndRefund)
        }
    }

    @Test("exchange: out of stock at fulfilment after the goods came back → T_offer fires → a refund-only case opens anyway")
    func exchangeOutOfStockAfterReturn() async throws {
        try await Harness.run { harness in
            let caseID = try await harness.open(Fixtures.application(.exchange)).record.caseID
            try await harness.awaitingReturn(caseID)
            // Delivered with no pick-up scan first: the pick-up is implied.
            let delivered = try await harness.carrier(caseID, "delivered")
            #expect(delivered.record.state == "RETURN_DELIVERED" && delivered.record.returnPickedUp)
            #expect(delivered.history.last?.effects.contains("imply pick-up") == true)
            _ = try await harness.act(AftersalesMethods.confirmReceipt, caseID, by: "seller_1")
            #expect(try await harness.inspect(caseID, ok: [:]).record.state == "RETURN_ACCEPTED")
            let offered = try await harness.outcome(AftersalesMethods.recordExchangeOutOfStock, caseID, reason: "no stock")
            #expect(offered.record.state == "CONVERSION_OFFERED")
            try harness.advance(hours: 72)
            let converted = try await harness.get(caseID)
            #expect(converted.record.state == "CONVERTED" && converted.history.last?.event == "T_offer fired")
            #expect(try await harness.get(converted.record.convertedToCaseID).record.kind == .refundOnly)
        }
    }

    @Test("exchange: replacement shipped, lost, shipped again, delivered: EXCHANGED")
    func exchangeReshipped() async throws {
        try await Harness.run { harness in
            let caseID = try await harness.open(Fixtures.application(.exchange)).record.caseID
            try await harness.awaitingReturn(caseID)
            _ = try await harness.carrier(caseID, "picked_up")
            _ = try await harness.carrier(caseID, "delivered")
            try harness.advance(days: 7)
            #expect(try await harness.get(caseID).record.state == "RETURN_ACCEPTED")
            _ = try await harness.shipment(AftersalesMethods.recordReplacementShipped, caseID, shipmentID: "shp_r1", saga: "fulfil-1")
            let lost = try await harness.carrier(caseID, "lost", shipment: "replacement", shipmentID: "shp_r1")
            #expect(lost.record.state == "RETURN_ACCEPTED")
            #expect(try await harness.eventTrail(caseID).suffix(2) == ["changed: saga Carrier progress: lost", "saga_requested: Exchange fulfilment"])
            _ = try await harness.shipment(AftersalesMethods.recordReplacementShipped, caseID, shipmentID: "shp_r2", saga: "fulfil-2")
            let exchanged = try await harness.carrier(caseID, "delivered", shipment: "replacement", shipmentID: "shp_r2")
            #expect(exchanged.record.state == "EXCHANGED" && exchanged.record.replacementShipment.shipmentID == "shp_r2")
        }
    }

    @Test("receipt dispute: escalated and held; the platform rules for the seller → back to the buyer → delivered: closed rejected")
    func disputeSellerWins() async throws {
        try await Harness.run { harness in
            let caseID = try await harness.open(Fixtures.application()).record.caseID
            try await harness.inspecting(caseID)
            let disputed = try await harness.inspect(caseID, ok: ["line_1": 0], dispute: true)
            #expect(disputed.record.state == "RECEIPT_DISPUTED" && disputed.record.lines[0].acceptance == .rejected)
            #expect(disputed.record.evidence.last?.uploadedBy == .seller && disputed.record.evidence.last?.stage == "INSPECTING")
            #expect(try await harness.act(AftersalesMethods.escalate, caseID, by: "buyer_1").record.state == "ESCALATED_HELD")
            let ruled = try await harness.act(AftersalesMethods.ruleForSeller, caseID, by: "agent_7", note: "the item was worn")
            #expect(ruled.record.state == "RETURNING_TO_BUYER")
            let tracked = try await harness.shipment(AftersalesMethods.recordReturnToBuyerShipment, caseID, shipmentID: "shp_back")
            #expect(tracked.record.state == "RETURNING_TO_BUYER" && tracked.record.backToBuyerShipment.trackingNumber == "SFshp_back")
            // A scan of the return shipment now is history only.
            let scan = try await harness.carrier(caseID, "in_transit")
            #expect(scan.history.last?.recordedOnly == true && scan.record.state == "RETURNING_TO_BUYER")
            let closed = try await harness.carrier(caseID, "delivered", shipment: "back_to_buyer", shipmentID: "shp_back")
            #expect(closed.record.state == "CLOSED_REJECTED")
        }
    }

    @Test("the buyer accepts an inspection that accepted nothing: nothing to refund, the goods go back to the buyer")
    func acceptingNothing() async throws {
        try await Harness.run { harness in
            let caseID = try await harness.open(Fixtures.application()).record.caseID
            try await harness.inspecting(caseID)
            _ = try await harness.inspect(caseID, ok: ["line_1": 0], dispute: true)
            let accepted = try await harness.act(AftersalesMethods.acceptPartial, caseID, by: "buyer_1")
            #expect(accepted.record.state == "RETURNING_TO_BUYER")
            #expect(accepted.history.last?.effects.contains("start saga Return to buyer") == true)
            #expect(accepted.history.last?.effects.contains { $0.hasPrefix("set amount") } == false)
            await #expect(throws: RPCError.self) {
                _ = try await harness.outcome(AftersalesMethods.recordRefunding, caseID, step: "record refunding")
            }
        }
    }

    @Test("after a platform ruling for the buyer, the ruled amount is what an inspection scales and what a lost return pays")
    func rulingIsTheApprovedAmount() async throws {
        try await Harness.run { harness in
            var outcomes: [String: Int64] = [:]
            for ending in ["inspected_all", "half_damaged", "lost"] {
                let caseID = try await harness.open(Fixtures.application(order: "ord_\(ending)", lines: [("line_1", 2)], requested: 10_000))
                    .record.caseID
                _ = try await harness.reject(caseID)
                _ = try await harness.act(AftersalesMethods.escalate, caseID, by: "buyer_1")
                #expect(try await harness.ruleForBuyer(caseID, amount: 6_000).record.state == "APPROVED")
                _ = try await harness.shipment(AftersalesMethods.recordAwaitingReturn, caseID, shipmentID: "shp_return")
                if ending == "lost" {
                    _ = try await harness.carrier(caseID, "picked_up")
                    _ = try await harness.carrier(caseID, "lost")
                } else {
                    _ = try await harness.carrier(caseID, "delivered")
                    _ = try await harness.act(AftersalesMethods.confirmReceipt, caseID, by: "seller_1")
                    _ = try await harness.inspect(caseID, ok: ["line_1": ending == "half_damaged" ? 1 : 2])
                }
                let approved = try await harness.get(caseID).record
                #expect(approved.state == "REFUND_APPROVED")
                outcomes[ending] = approved.amount.amountMinor
            }
            #expect(outcomes == ["inspected_all": 6_000, "half_damaged": 3_000, "lost": 6_000])
        }
    }

    @Test("a lost return refunds the full requested amount, whatever was offered")
    func lostReturn() async throws {
        try await Harness.run { harness in
            let caseID = try await harness.open(Fixtures.application(requested: 10_000)).record.caseID
            try await harness.awaitingReturn(caseID)
            _ = try await harness.carrier(caseID, "picked_up")
            let lost = try await harness.carrier(caseID, "lost")
            #expect(lost.record.state == "REFUND_APPROVED" && lost.record.amount.amountMinor == 10_000)
        }
    }

    @Test("refund failed: operator retries; fails again; manual payout; refunded. A refund-only case may be closed instead")
    func refundFailures() async throws {
        try await Harness.run { harness in
            let caseID = try await harness.open(Fixtures.application(.refundOnly, status: "paid")).record.caseID
            let failed = try await harness.outcome(AftersalesMethods.recordRefundFailed, caseID, reason: "provider declined: card expired", saga: "refund-1")
            #expect(failed.record.state == "REFUND_FAILED" && failed.record.failureReason == "provider declined: card expired")
            #expect(try await harness.act(AftersalesMethods.retryRefund, caseID, by: "ops_1").record.state == "APPROVED")
            #expect(try await harness.eventTrail(caseID).suffix(2) == ["changed: operator.retry", "saga_requested: Refund"])
            _ = try await harness.outcome(AftersalesMethods.recordRefunding, caseID, saga: "refund-2", step: "record refunding")
            _ = try await harness.outcome(AftersalesMethods.recordRefundFailed, caseID, reason: "provider declined again", saga: "refund-2")
            let payout = try await harness.manualPayout(caseID, reference: "bank-transfer-0042")
            #expect(payout.record.state == "APPROVED" && payout.record.manualPayoutReference == "bank-transfer-0042")
            _ = try await harness.outcome(AftersalesMethods.recordRefunding, caseID, saga: "refund-3", step: "record refunding")
            #expect(try await harness.refunded(caseID, amount: 10_000, saga: "refund-3").record.state == "REFUNDED")

            let other = try await harness.open(Fixtures.application(.refundOnly, order: "ord_2", status: "paid")).record.caseID
            _ = try await harness.outcome(AftersalesMethods.recordRefundFailed, other, reason: "nothing refundable")
            let closed = try await harness.act(AftersalesMethods.closeCase, other, by: "ops_1", note: "paid in store")
            #expect(closed.record.state == "CLOSED_REJECTED" && closed.history.last?.note == "paid in store")
        }
    }

    @Test("a return-and-refund case never closes unpaid: operator.close is refused in REFUND_FAILED")
    func returnNeverClosesUnpaid() async throws {
        try await Harness.run { harness in
            let caseID = try await harness.open(Fixtures.application()).record.caseID
            try await harness.awaitingReturn(caseID)
            // The loss is reported before the pick-up: kept, then caught up with once the pick-up comes.
            #expect(try await harness.carrier(caseID, "lost").history.last?.recordedOnly == true)
            let caughtUp = try await harness.carrier(caseID, "picked_up")
            #expect(caughtUp.record.state == "REFUND_APPROVED")
            #expect(caughtUp.history.suffix(2).map(\.event) == ["saga Carrier progress: picked up", "saga Carrier progress: lost"])
            #expect(caughtUp.history.last?.note.hasPrefix("caught up") == true)
            _ = try await harness.outcome(AftersalesMethods.recordRefundFailed, caseID, reason: "declined")
            let error = await #expect(throws: RPCError.self) {
                _ = try await harness.act(AftersalesMethods.closeCase, caseID, by: "ops_1", note: "give up")
            }
            #expect(error?.code == .failedPrecondition && error?.message.contains("REFUND_FAILED") == true)
        }
    }

    @Test("a carrier event on a closed case is kept in its history; the case stays closed; a repeated carrier event id changes nothing")
    func carrierEventsOnClosedCases() async throws {
        try await Harness.run { harness in
            let caseID = try await harness.open(Fixtures.application()).record.caseID
            try await harness.awaitingReturn(caseID)
            _ = try await harness.act(AftersalesMethods.withdraw, caseID, by: "buyer_1")
            #expect(try await harness.get(caseID).record.cancellation == "buyer_withdrew")
            let closed = try await harness.outcome(AftersalesMethods.recordReturnCancelled, caseID)
            #expect(closed.record.state == "CLOSED_WITHDRAWN")
            let late = try await harness.carrier(caseID, "picked_up", eventID: "cev-late")
            #expect(late.record.state == "CLOSED_WITHDRAWN" && late.record.version == closed.record.version + 1)
            #expect(late.history.last?.recordedOnly == true && late.history.last?.event == "saga Carrier progress: picked up")
            let before = try await harness.dump()
            let again = try await harness.carrier(caseID, "picked_up", eventID: "cev-late")
            #expect(again == late)
            #expect(try await harness.dump() == before)
        }
    }

    @Test("a withdrawal racing a pick-up: the cancellation saga finds the parcel picked up and the case goes back in transit")
    func withdrawalRacesPickUp() async throws {
        try await Harness.run { harness in
            let caseID = try await harness.open(Fixtures.application()).record.caseID
            try await harness.awaitingReturn(caseID)
            _ = try await harness.act(AftersalesMethods.withdraw, caseID, by: "buyer_1")
            let scan = try await harness.carrier(caseID, "picked_up")
            #expect(scan.record.state == "RETURN_CANCELLING" && scan.record.returnPickedUp)
            let back = try await harness.outcome(AftersalesMethods.recordAlreadyPickedUp, caseID, reason: "picked up before the cancel")
            #expect(back.record.state == "RETURN_IN_TRANSIT")
            #expect(try await harness.carrier(caseID, "delivered").record.state == "RETURN_DELIVERED")
        }
    }

    @Test("a return delivered while its cancellation runs: the cancellation fails (picked up) and the case catches up to RETURN_DELIVERED")
    func deliveredDuringCancellation() async throws {
        try await Harness.run { harness in
            let caseID = try await harness.open(Fixtures.application()).record.caseID
            try await harness.awaitingReturn(caseID)
            try harness.advance(days: 7)
            #expect(try await harness.get(caseID).record.state == "RETURN_CANCELLING")
            let kept = try await harness.carrier(caseID, "delivered")
            #expect(kept.record.state == "RETURN_CANCELLING" && kept.record.returnShipment.lastEvent == "delivered")
            let caughtUp = try await harness.outcome(AftersalesMethods.recordAlreadyPickedUp, caseID, reason: "picked up")
            #expect(caughtUp.record.state == "RETURN_DELIVERED")
            #expect(caughtUp.history.suffix(2).map(\.event) == ["saga Return cancellation: already picked up", "saga Carrier progress: delivered"])
            #expect(caughtUp.record.timers.contains { $0.name == "T_confirm" && $0.status == .running })
        }
    }

    @Test("a pick-up reported before Return setup recorded the label: the case catches up to RETURN_IN_TRANSIT when it does")
    func pickUpBeforeLabelRecorded() async throws {
        try await Harness.run { harness in
            let caseID = try await harness.open(Fixtures.application(.exchange)).record.caseID
            _ = try await harness.act(AftersalesMethods.approve, caseID, by: "seller_1")
            let early = try await harness.carrier(caseID, "picked_up", shipmentID: "shp_early")
            #expect(early.record.state == "APPROVED" && early.history.last?.recordedOnly == true && !early.record.returnPickedUp)
            let recorded = try await harness.shipment(AftersalesMethods.recordAwaitingReturn, caseID, shipmentID: "shp_early")
            #expect(recorded.record.state == "RETURN_IN_TRANSIT" && recorded.record.returnPickedUp)
            #expect(recorded.record.returnShipment.lastEvent == "picked_up")
            #expect(recorded.record.timers.first { $0.name == "T_ship" }?.status == .stopped)
        }
    }

    @Test("the back-to-buyer parcel delivered before its shipment was recorded: the case closes, and the late record is kept, not refused")
    func backToBuyerDeliveredFirst() async throws {
        try await Harness.run { harness in
            let caseID = try await harness.open(Fixtures.application()).record.caseID
            try await harness.inspecting(caseID)
            _ = try await harness.inspect(caseID, ok: ["line_1": 0], dispute: true)
            try harness.advance(days: 7)
            #expect(try await harness.get(caseID).record.state == "RETURNING_TO_BUYER")
            let closed = try await harness.carrier(caseID, "delivered", shipment: "back_to_buyer", shipmentID: "shp_back")
            #expect(closed.record.state == "CLOSED_REJECTED")
            let late = try await harness.shipment(AftersalesMethods.recordReturnToBuyerShipment, caseID, shipmentID: "shp_back")
            #expect(late.record.state == "CLOSED_REJECTED" && late.history.last?.recordedOnly == true)
            #expect(late.record.backToBuyerShipment.shipmentID == "shp_back" && late.record.backToBuyerShipment.lastEvent == "delivered")
        }
    }

    @Test("version tokens: an action on an old version is ABORTED and changes nothing; the right party only")
    func versionsAndParties() async throws {
        try await Harness.run { harness in
            let caseID = try await harness.open(Fixtures.application()).record.caseID
            let version = try await harness.get(caseID).record.version
            _ = try await harness.addEvidence(caseID, party: .seller, by: "seller_1")
            let before = try await harness.dump()
            let stale = await #expect(throws: RPCError.self) {
                _ = try await harness.act(AftersalesMethods.approve, caseID, by: "seller_1", version: version)
            }
            #expect(stale?.code == .aborted && stale?.message.contains("version") == true)
            let stranger = await #expect(throws: RPCError.self) {
                _ = try await harness.act(AftersalesMethods.approve, caseID, by: "seller_2")
            }
            #expect(stranger?.code == .permissionDenied && stranger?.message.contains("actor_id") == true)
            let buyerApproves = await #expect(throws: RPCError.self) {
                _ = try await harness.act(AftersalesMethods.approve, caseID, by: "buyer_1")
            }
            #expect(buyerApproves?.code == .permissionDenied)
            #expect(try await harness.dump() == before)
        }
    }

    @Test("evidence: in AWAITING_EVIDENCE the buyer's photo sends the case back to review; elsewhere it is kept with an entry")
    func evidenceAndReview() async throws {
        try await Harness.run { harness in
            let opened = try await harness.open(Fixtures.application(reason: .damaged))
            #expect(opened.record.decision.outcome == "needs_evidence")
            let reviewed = try await harness.addEvidence(opened.record.caseID)
            #expect(reviewed.record.state == "PENDING_SELLER")
            #expect(reviewed.history.map(\.event) == ["opened", "evaluate", "buyer.add_evidence", "evaluate"])
            #expect(reviewed.record.decision.decisionID != opened.record.decision.decisionID)
            #expect(reviewed.record.evidence.map(\.stage) == ["AWAITING_EVIDENCE"])
            let kept = try await harness.addEvidence(opened.record.caseID, count: 2)
            #expect(kept.record.state == "PENDING_SELLER" && kept.record.evidence.count == 3 && kept.history.last?.event == "evidence added")
        }
    }

    @Test("a line with an open case takes no second application until the first closes; the sixth case on a line is ineligible")
    func casesPerLine() async throws {
        try await Harness.run { harness in
            let first = try await harness.open(Fixtures.application()).record.caseID
            let error = await #expect(throws: RPCError.self) { _ = try await harness.open(Fixtures.application()) }
            #expect(error?.code == .failedPrecondition && error?.message.contains("lines[0].line_id") == true)
            _ = try await harness.act(AftersalesMethods.withdraw, first, by: "buyer_1")
            for _ in 2...5 {
                let next = try await harness.open(Fixtures.application())
                #expect(next.record.state == "PENDING_SELLER")
                _ = try await harness.act(AftersalesMethods.withdraw, next.record.caseID, by: "buyer_1")
            }
            let sixth = try await harness.open(Fixtures.application())
            #expect(sixth.record.state == "CLOSED_REJECTED" && sixth.record.decision.decidingRule == "too_many_cases_on_line")
        }
    }
}
