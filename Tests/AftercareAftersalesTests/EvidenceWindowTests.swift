@testable import AftercareAftersales
import AftercareAftersalesAPI
import AftercareRPC
import AftercareTesting
import Testing

/// While the platform arbitrates, only the party it asked adds evidence, and only until T_arbiter
/// ends the window; a refused addition changes nothing.
@Suite("Evidence windows")
struct EvidenceWindowTests {
    typealias Harness = AftersalesHarness

    private static func refused(_ call: () async throws -> Aftercare_Aftersales_V1_CaseResponse) async -> RPCError? {
        do {
            let response = try await call()
            Issue.record("accepted: \(response.record.state)")
            return nil
        } catch let error as RPCError {
            return error
        } catch {
            Issue.record("\(error)")
            return nil
        }
    }

    @Test("the party not asked is refused, the one asked and the platform add evidence; once T_arbiter fires nobody does until asked again")
    func window() async throws {
        try await Harness.run { harness in
            let caseID = try await harness.open(Fixtures.application()).record.caseID
            _ = try await harness.reject(caseID)
            #expect(try await harness.act(AftersalesMethods.escalate, caseID, by: "buyer_1").record.state == "ESCALATED")
            // Before the platform asks anyone, either party may.
            _ = try await harness.addEvidence(caseID, party: .buyer, by: "buyer_1")
            _ = try await harness.requestEvidence(caseID, from: .seller)
            let windowEnd = FactTimeText.date(InMemoryService.startMicros + 72 * Micros.hour)

            let before = try await harness.dump()
            let notAsked = await Self.refused { try await harness.addEvidence(caseID, party: .buyer, by: "buyer_1") }
            #expect(notAsked?.code == .failedPrecondition)
            #expect(notAsked?.outcome == .notExecuted)
            #expect(notAsked?.message == "the platform asked the seller for evidence on case \(caseID), until \(windowEnd) (T_arbiter): the buyer may not add evidence now")
            #expect(try await harness.dump() == before)

            let seller = try await harness.addEvidence(caseID, party: .seller, by: "seller_1", count: 2)
            // One came with the seller's refusal, two now.
            #expect(seller.record.evidence.filter { $0.uploadedBy == .seller }.count == 3)
            _ = try await harness.addEvidence(caseID, party: .platform, by: "agent_7")

            try harness.advance(hours: 72)
            #expect(try await harness.get(caseID).record.evidenceWindowClosed)
            let closed = try await harness.dump()
            let late = await Self.refused { try await harness.addEvidence(caseID, party: .seller, by: "seller_1") }
            #expect(late?.code == .failedPrecondition)
            #expect(late?.message == "the evidence window (T_arbiter) of case \(caseID) closed at \(windowEnd): no more evidence until the platform asks again")
            #expect(try await harness.dump() == closed)

            _ = try await harness.requestEvidence(caseID, from: .buyer)
            #expect(try await harness.addEvidence(caseID, party: .buyer, by: "buyer_1").record.state == "ESCALATED")
        }
    }
}
