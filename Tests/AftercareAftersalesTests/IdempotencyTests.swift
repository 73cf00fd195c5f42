@testable import AftercareAftersales
import AftercareAftersalesAPI
import AftercareRPC
import AftercareServiceKit
import AftercareWire
import Testing

/// Retries never apply twice: applications and actions by idempotency key, the sagas' recordings
/// by their step, carrier events by their id.
@Suite("Aftersales retries")
struct AftersalesIdempotencyTests {
    typealias Harness = AftersalesHarness

    @Test("an application retried under its key opens one case; the key with another application is refused")
    func application() async throws {
        try await Harness.run { harness in
            let first = try await harness.open(Fixtures.application(), key: "apply-1")
            let again = try await harness.open(Fixtures.application(), key: "apply-1")
            #expect(again == first)
            var request = Aftercare_Aftersales_V1_ListCasesRequest()
            request.buyerID = "buyer_1"
            #expect(try await harness.client.unary(AftersalesMethods.listCases, request).cases.count == 1)
            let error = await #expect(throws: RPCError.self) {
                _ = try await harness.open(Fixtures.application(requested: 5_000), key: "apply-1")
            }
            #expect(error?.code == .invalidArgument && error?.message.contains("idempotency_key") == true)
        }
    }

    @Test("an action retried under its key answers its first result, though the version it carried is now old")
    func actionRetry() async throws {
        try await Harness.run { harness in
            let caseID = try await harness.open(Fixtures.application()).record.caseID
            let header = try await harness.header(caseID, by: "seller_1")
            let options = CallOptions(idempotencyKey: "approve-1")
            let first = try await harness.client.unary(AftersalesMethods.approve, header, options: options)
            let retried = try await harness.client.unary(AftersalesMethods.approve, header, options: options)
            #expect(retried == first && first.record.state == "APPROVED")
            #expect(try await harness.eventTrail(caseID).filter { $0 == "saga_requested: Return setup" }.count == 1)
        }
    }

    @Test("a recording retried in its saga step answers the stored result and writes one history entry")
    func recordingRetry() async throws {
        try await Harness.run { harness in
            let caseID = try await harness.open(Fixtures.application(.refundOnly, status: "paid")).record.caseID
            let first = try await harness.outcome(AftersalesMethods.recordRefunding, caseID, saga: "refund-1", step: "record refunding")
            let again = try await harness.outcome(AftersalesMethods.recordRefunding, caseID, saga: "refund-1", step: "record refunding")
            #expect(again == first)
            #expect(try await harness.get(caseID).history.filter { $0.event == "saga Refund: refunding" }.count == 1)
            #expect(first.history.last?.sagaID == "refund-1" && first.history.last?.sagaStep == "record refunding")
        }
    }

    @Test("compensating \"record refunding\" changes nothing and answers the case; before its forward call it is nothing to undo, and the late forward call is refused")
    func recordingCompensation() async throws {
        try await Harness.run { harness in
            let caseID = try await harness.open(Fixtures.application(.refundOnly, status: "paid")).record.caseID
            let refunding = try await harness.outcome(AftersalesMethods.recordRefunding, caseID, saga: "refund-1", step: "record refunding")
            var request = Aftercare_Aftersales_V1_RecordSagaOutcomeRequest()
            request.caseID = caseID
            let undone = try await harness.client.unary(
                AftersalesMethods.recordRefunding, request, options: Harness.saga("refund-1", "record refunding", .compensate))
            #expect(undone == refunding && undone.record.state == "REFUNDING")

            let other = try await harness.open(Fixtures.application(.refundOnly, order: "ord_2", status: "paid")).record.caseID
            request.caseID = other
            let nothing = try await harness.client.unary(
                AftersalesMethods.recordRefunding, request, options: Harness.saga("refund-2", "record refunding", .compensate))
            #expect(!nothing.hasRecord)
            let late = await #expect(throws: RPCError.self) {
                _ = try await harness.client.unary(AftersalesMethods.recordRefunding, request, options: Harness.saga("refund-2", "record refunding"))
            }
            #expect(late?.code == .failedPrecondition)
            #expect(try await harness.get(other).record.state == "APPROVED")
        }
    }

    @Test("a recording refused in a saga step is refused again on retry, the case unchanged")
    func refusedRecordingRemembered() async throws {
        try await Harness.run { harness in
            let caseID = try await harness.open(Fixtures.application()).record.caseID
            let before = try await harness.get(caseID)
            for _ in 0..<2 {
                let error = await #expect(throws: RPCError.self) {
                    _ = try await harness.outcome(AftersalesMethods.recordRefunding, caseID, saga: "refund-x", step: "record refunding")
                }
                #expect(error?.code == .failedPrecondition && error?.message.contains("PENDING_SELLER") == true)
            }
            #expect(try await harness.get(caseID) == before)
        }
    }

    @Test("a carrier event is recorded once by its id, without a key")
    func carrierEventOnce() async throws {
        try await Harness.run { harness in
            let caseID = try await harness.open(Fixtures.application()).record.caseID
            try await harness.awaitingReturn(caseID)
            let first = try await harness.carrier(caseID, "picked_up", eventID: "cev-1")
            let again = try await harness.carrier(caseID, "picked_up", eventID: "cev-1")
            #expect(again == first && first.record.state == "RETURN_IN_TRANSIT")
            #expect(first.history.filter { $0.event.hasPrefix("saga Carrier progress") }.count == 1)
        }
    }
}
