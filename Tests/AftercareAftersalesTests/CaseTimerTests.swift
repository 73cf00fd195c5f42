@testable import AftercareAftersales
import AftercareAftersalesAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Testing

/// The durable timers: visible deadlines from the policy, fired by the background pass or by the
/// first call that touches a due case, stopped when the case leaves their state.
@Suite("Case timers")
struct CaseTimerTests {
    typealias Harness = AftersalesHarness

    @Test("T_seller: visible deadline; not due one second early; the background pass approves the case and asks for Return setup")
    func sellerTimer() async throws {
        try await Harness.run { harness in
            let opened = try await harness.open(Fixtures.application())
            let caseID = opened.record.caseID
            let deadline = opened.record.timers.first { $0.name == "T_seller" }!.deadlineUnixMicros
            #expect(deadline == InMemoryService.startMicros + 48 * Micros.hour)
            try harness.advance(hours: 48, micros: -1)
            #expect(try await harness.timers.fireDue() == 0)
            #expect(try await harness.get(caseID).record.state == "PENDING_SELLER")
            try harness.advance(micros: 1)
            #expect(try await harness.timers.fireDue() == 1)
            let fired = try await harness.get(caseID)
            #expect(fired.record.state == "APPROVED")
            #expect(fired.record.timers.first { $0.name == "T_seller" }?.status == .fired)
            let entry = fired.history.last!
            #expect(entry.event == "T_seller fired" && entry.actor == "timer" && entry.fromState == "PENDING_SELLER")
            #expect(try await harness.eventTrail(caseID).suffix(2) == ["changed: T_seller fired", "saga_requested: Return setup"])
        }
    }

    @Test("a call touching a due case fires its timer first, committed on its own: the action decided before is ABORTED")
    func callFiresDueTimer() async throws {
        try await Harness.run { harness in
            let caseID = try await harness.open(Fixtures.application()).record.caseID
            let version = try await harness.get(caseID).record.version
            try harness.advance(hours: 49)
            await #expect(throws: RPCError.self) {
                _ = try await harness.act(AftersalesMethods.withdraw, caseID, by: "buyer_1", version: version)
            }
            let after = try await harness.get(caseID)
            #expect(after.record.state == "APPROVED" && after.record.version == version + 1)
        }
    }

    @Test("T_evidence: the buyer never adds evidence, the case closes withdrawn")
    func evidenceTimer() async throws {
        try await Harness.run { harness in
            let opened = try await harness.open(Fixtures.application(reason: .damaged))
            #expect(opened.record.state == "AWAITING_EVIDENCE")
            #expect(opened.record.timers.map(\.deadlineUnixMicros) == [InMemoryService.startMicros + 72 * Micros.hour])
            try harness.advance(hours: 72)
            let closed = try await harness.get(opened.record.caseID)
            #expect(closed.record.state == "CLOSED_WITHDRAWN" && closed.record.closed)
            #expect(try await harness.eventTrail(opened.record.caseID).suffix(2) == ["changed: T_evidence fired", "closed: T_evidence fired"])
        }
    }

    @Test("T_offer back to the seller restarts T_seller; T_escalate closes a refusal; T_arbiter closes the evidence window only")
    func offerEscalateArbiter() async throws {
        try await Harness.run { harness in
            let caseID = try await harness.open(Fixtures.application()).record.caseID
            #expect(try await harness.counterOffer(caseID, amount: 5_000).record.state == "NEGOTIATING")
            try harness.advance(hours: 72)
            let back = try await harness.get(caseID)
            #expect(back.record.state == "PENDING_SELLER")
            let seller = back.record.timers.first { $0.name == "T_seller" }!
            #expect(seller.status == .running && seller.deadlineUnixMicros == InMemoryService.startMicros + 120 * Micros.hour)

            #expect(try await harness.reject(caseID).record.state == "REJECTED")
            #expect(try await harness.act(AftersalesMethods.escalate, caseID, by: "buyer_1").record.state == "ESCALATED")
            let requested = try await harness.requestEvidence(caseID, from: .seller)
            #expect(requested.record.evidenceRequestedFrom == .seller && !requested.record.evidenceWindowClosed)
            try harness.advance(hours: 72)
            let waiting = try await harness.get(caseID)
            #expect(waiting.record.state == "ESCALATED" && waiting.record.evidenceWindowClosed)
            #expect(waiting.record.timers.first { $0.name == "T_arbiter" }?.status == .fired)

            let other = try await harness.open(Fixtures.application(order: "ord_2")).record.caseID
            _ = try await harness.reject(other)
            try harness.advance(days: 7)
            #expect(try await harness.timers.fireDue() == 1)
            #expect(try await harness.get(other).record.state == "CLOSED_REJECTED")
        }
    }

    @Test("T_ship: the buyer never ships; the cancellation saga closes the case expired")
    func shipTimer() async throws {
        try await Harness.run { harness in
            let caseID = try await harness.open(Fixtures.application()).record.caseID
            try await harness.awaitingReturn(caseID)
            try harness.advance(days: 7)
            let cancelling = try await harness.get(caseID)
            #expect(cancelling.record.state == "RETURN_CANCELLING" && cancelling.record.cancellation == "ship_by_expired")
            #expect(try await harness.eventTrail(caseID).suffix(2) == ["changed: T_ship fired", "saga_requested: Return cancellation"])
            let closed = try await harness.outcome(AftersalesMethods.recordReturnCancelled, caseID, saga: "saga_cancel", step: "record closed")
            #expect(closed.record.state == "CLOSED_EXPIRED")
        }
    }

    @Test("T_confirm and T_inspect accept every line at the full amount")
    func confirmAndInspectTimers() async throws {
        try await Harness.run { harness in
            for (index, confirmFirst) in [false, true].enumerated() {
                let caseID = try await harness.open(Fixtures.application(order: "ord_\(index)", lines: [("line_1", 2)], requested: 20_000)).record.caseID
                _ = try await harness.act(AftersalesMethods.approve, caseID, by: "seller_1")
                _ = try await harness.shipment(AftersalesMethods.recordAwaitingReturn, caseID, shipmentID: "shp_return")
                _ = try await harness.carrier(caseID, "delivered")
                if confirmFirst {
                    _ = try await harness.act(AftersalesMethods.confirmReceipt, caseID, by: "seller_1")
                    try harness.advance(hours: 48)
                } else {
                    try harness.advance(days: 7)
                }
                let accepted = try await harness.get(caseID)
                #expect(accepted.record.state == "REFUND_APPROVED")
                #expect(accepted.record.amount.amountMinor == 20_000)
                #expect(accepted.record.lines.map(\.receivedOk) == [2] && accepted.record.lines.map(\.disposition) == ["restock"])
                #expect(accepted.history.last?.event == (confirmFirst ? "T_inspect fired" : "T_confirm fired"))
            }
        }
    }

    @Test("timers stop when the case leaves their state: a withdrawn case never fires T_seller")
    func stoppedTimersStayQuiet() async throws {
        try await Harness.run { harness in
            let caseID = try await harness.open(Fixtures.application()).record.caseID
            _ = try await harness.act(AftersalesMethods.withdraw, caseID, by: "buyer_1")
            try harness.advance(days: 30)
            #expect(try await harness.timers.fireDue() == 0)
            let closed = try await harness.get(caseID)
            #expect(closed.record.state == "CLOSED_WITHDRAWN")
            #expect(closed.record.timers.map(\.status) == [.stopped])
        }
    }

    @Test("timer durations come from the policy file")
    func policyDurations() async throws {
        let policy = try ReviewPolicy.load(yaml: PolicyFixtures.editedDefault("  T_seller: 48h", "  T_seller: 90m"))
        try await Harness.run(policy: policy) { harness in
            let opened = try await harness.open(Fixtures.application())
            #expect(opened.record.timers.first?.deadlineUnixMicros == InMemoryService.startMicros + 90 * 60_000_000)
        }
    }
}
