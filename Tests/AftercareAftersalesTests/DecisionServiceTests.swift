@testable import AftercareAftersales
import AftercareAftersalesAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Foundation
import Testing

/// Decisions as the service keeps them: explained, replayed with the policy that made them (kept by
/// fingerprint), and a candidate policy dry-run over the stored cases of a period.
@Suite("Decisions in the service")
struct DecisionServiceTests {
    typealias Harness = AftersalesHarness

    func explain(_ harness: Harness, caseID: String = "", decisionID: String = "") async throws -> Aftercare_Aftersales_V1_Decision {
        var request = Aftercare_Aftersales_V1_ExplainDecisionRequest()
        request.caseID = caseID
        request.decisionID = decisionID
        return try await harness.client.unary(AftersalesMethods.explainDecision, request)
    }

    @Test("explain: the policy, the facts it saw, every rule with whether it fired and why, the sentence")
    func explain() async throws {
        try await Harness.run { harness in
            var application = Fixtures.application(requested: 200_000)
            application.facts.refundable = Fixtures.cny(300_000)
            let opened = try await harness.open(application)
            let caseID = opened.record.caseID
            let decision = try await self.explain(harness, caseID: caseID)
            #expect(decision.caseID == caseID && decision.policyVersion == "default-1")
            #expect(decision.policyFingerprint == ReviewPolicy.builtIn.fingerprint)
            #expect(decision.outcome == "seller_review" && decision.decidingRule == "amount_above_threshold")
            #expect(decision.rules.map(\.ruleID) == ReviewPolicy.builtIn.rules.map(\.id))
            #expect(decision.rules.filter(\.fired).map(\.ruleID) == ["amount_above_threshold"])
            #expect(decision.rules.first { $0.ruleID == "amount_above_threshold" }?.why.contains("2000.00 CNY") == true)
            #expect(decision.sentence.contains("2000.00 CNY") && decision.sentence.contains("1000.00 CNY"))
            let facts = try ApplicationFacts.fromJSON(decision.factsJson)
            #expect(facts.requested == Amount(200_000, "CNY") && facts.lines.map(\.casesBefore) == [0])
            #expect(decision.explanation.contains("[x] amount_above_threshold"))
            #expect(try await self.explain(harness, decisionID: decision.decisionID) == decision)
        }
    }

    @Test("OpenCase and GetCase answer with the decision explained, as ExplainDecision does; the other calls leave it out")
    func answersCarryTheExplanation() async throws {
        try await Harness.run { harness in
            var application = Fixtures.application(requested: 200_000)
            application.facts.refundable = Fixtures.cny(300_000)
            let opened = try await harness.open(application, key: "open")
            let explained = try await self.explain(harness, caseID: opened.record.caseID)
            #expect(opened.record.state == "PENDING_SELLER" && opened.hasDecision && opened.decision == explained)
            #expect(try await harness.open(application, key: "open") == opened)
            #expect(try await harness.get(opened.record.caseID).decision == explained)
            let withdrawn = try await harness.act(AftersalesMethods.withdraw, opened.record.caseID, by: opened.record.buyerID)
            #expect(withdrawn.record.state == "CLOSED_WITHDRAWN" && !withdrawn.hasDecision)
        }
    }

    @Test("replay: decided again by the kept policy, equal to the stored decision — also after the service runs another policy")
    func replay() async throws {
        let database = try ServiceDatabase.inMemory(migrations: .aftersales)
        let decisionID = try await Harness.run(database: database) { harness in
            try await harness.open(Fixtures.application(reason: .damaged)).record.decision.decisionID
        }
        let stricter = try ReviewPolicy.load(yaml: PolicyFixtures.editedDefault("version: default-1", "version: strict-2"))
        try await Harness.run(database: database, policy: stricter) { harness in
            var request = Aftercare_Aftersales_V1_ReplayDecisionRequest()
            request.decisionID = decisionID
            let replay = try await harness.client.unary(AftersalesMethods.replayDecision, request)
            #expect(replay.equal && replay.stored == replay.replayed)
            #expect(replay.stored.policyVersion == "default-1" && replay.stored.outcome == "needs_evidence")
        }
    }

    @Test("dry-run: a stricter candidate finds exactly the decisions it would change, in the period asked, and changes nothing")
    func dryRun() async throws {
        try await Harness.run { harness in
            // Five decisions on day 0; the stricter candidate (a review threshold of 50.00 CNY, no
            // automatic no-reason approval) changes exactly the two no-reason approvals. The
            // 100.00 CNY case is decided by another rule but with the same outcome and protection:
            // not a change.
            var ids: [String: String] = [:]
            ids["small"] = try await harness.open(Fixtures.application(order: "ord_small", requested: 4_000)).record.decision.decisionID
            ids["default"] = try await harness.open(Fixtures.application(order: "ord_default", requested: 10_000)).record.decision.decisionID
            ids["unshipped"] = try await harness.open(Fixtures.application(.refundOnly, order: "ord_unshipped", requested: 10_000, status: "paid"))
                .record.decision.decisionID
            ids["no_reason"] = try await harness.open(
                Fixtures.application(order: "ord_noreason", requested: 10_000, reason: .noReason7D)).record.decision.decisionID
            ids["no_reason_small"] = try await harness.open(
                Fixtures.application(order: "ord_noreason_small", requested: 4_000, reason: .noReason7D)).record.decision.decisionID
            try harness.advance(days: 10)
            // A decision after the period asked: not examined.
            _ = try await harness.open(Fixtures.application(order: "ord_later", requested: 10_000, reason: .noReason7D))

            let candidate = PolicyFixtures.editedDefault("version: default-1", "version: strict-2")
                .replacingOccurrences(of: "    CNY: 100000", with: "    CNY: 5000")
                .replacingOccurrences(
                    of: "when: [return_and_refund, reason_no_reason, within_no_reason_window, no_excluded_category]",
                    with: "when: [return_and_refund, reason_no_reason, within_no_reason_window, no_excluded_category, order_not_shipped]")
            let before = try await harness.dump()
            var request = Aftercare_Aftersales_V1_DryRunPolicyRequest()
            request.policyYaml = candidate
            request.fromUnixMicros = InMemoryService.startMicros
            request.toUnixMicros = InMemoryService.startMicros + 5 * Micros.day
            let response = try await harness.client.unary(AftersalesMethods.dryRunPolicy, request)
            #expect(response.candidateVersion == "strict-2" && response.examined == 5)
            let changed = Dictionary(uniqueKeysWithValues: response.changes.map { ($0.decisionID, $0) })
            #expect(Set(changed.keys) == [ids["no_reason"]!, ids["no_reason_small"]!])
            let noReason = changed[ids["no_reason"]!]
            #expect(noReason?.beforeOutcome == "approve" && noReason?.afterOutcome == "seller_review")
            #expect(noReason?.beforeSellerMayRefuse == false && noReason?.afterSellerMayRefuse == true)
            #expect(noReason?.beforeRule == "no_reason_return_in_window" && noReason?.afterRule == "amount_above_threshold")
            #expect(changed[ids["no_reason_small"]!]?.afterRule == "default")
            #expect(try await harness.dump() == before)

            request.policyYaml = candidate.replacingOccurrences(of: "outcome: ineligible", with: "outcome: refuse")
            let error = await #expect(throws: RPCError.self) { _ = try await harness.client.unary(AftersalesMethods.dryRunPolicy, request) }
            #expect(error?.code == .invalidArgument && error?.message.contains("policy_yaml") == true && error?.message.contains("line") == true)
        }
    }

    @Test("the policy in force: version, fingerprint, timers, text")
    func policyInForce() async throws {
        try await Harness.run { harness in
            let info = try await harness.client.unary(AftersalesMethods.getPolicy, .init())
            #expect(info.version == "default-1" && info.fingerprint == ReviewPolicy.builtIn.fingerprint)
            #expect(info.timerSeconds["T_ship"] == 7 * 86_400 && info.yaml == ReviewPolicy.defaultYAML)
        }
    }
}

extension ApplicationFacts {
    static func fromJSON(_ text: String) throws -> ApplicationFacts {
        try JSONDecoder().decode(ApplicationFacts.self, from: Data(text.utf8))
    }
}
