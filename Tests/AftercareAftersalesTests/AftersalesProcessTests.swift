@testable import AftercareAftersales
import AftercareAftersalesAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Foundation
import Testing

/// The real `aftercare-aftersales` executable over its Unix socket with mutual TLS: its data, feed,
/// keys and timers across kill -9, and its policy file read at start.
@Suite("aftercare-aftersales process")
struct AftersalesProcessTests {

    /// What the first process answered, to compare with the restarted one.
    struct Snapshot: Sendable {
        var cases: [Aftercare_Aftersales_V1_CaseResponse]
        var decisions: [Aftercare_Aftersales_V1_Decision]
        var events: [Aftercare_Common_V1_Event]
        var opened: Aftercare_Aftersales_V1_CaseResponse
        var refunded: Aftercare_Aftersales_V1_CaseResponse
        var refundOnly: Aftercare_Aftersales_V1_OpenCaseRequest
    }

    @Test("refund-only approved at once and refunded by its saga, a return-and-refund with the seller: kill -9 and restart keep everything")
    func journeyAndRestart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try await ServiceProcess.start("aftersales", in: directory, arguments: AftersalesProcessCalls.arguments)
        let before = try await first.withCalls { calls in
            let now = try await calls.now()
            let refundOnly = Fixtures.application(.refundOnly, order: "ord_1", status: "paid", now: now)
            let opened = try await calls.open(refundOnly, key: "open-1")
            let refundID = opened.record.caseID
            #expect(opened.record.state == "APPROVED")
            #expect(opened.record.decision.decidingRule == "unshipped_refund_only" && !opened.record.decision.sellerMayRefuse)
            #expect(try await calls.recordRefunding(refundID, saga: "sg_refund_1").record.state == "REFUNDING")
            let refunded = try await calls.recordRefunded(refundID, amount: 10_000, saga: "sg_refund_1")
            #expect(refunded.record.state == "REFUNDED" && refunded.record.closed && refunded.record.refundID == "rfd_\(refundID)")
            #expect(refunded.history.map(\.event) == ["opened", "evaluate", "saga Refund: refunding", "saga Refund: refunded"])
            #expect(refunded.history.suffix(2).map { "\($0.actor) \($0.sagaID) \($0.sagaStep)" } == [
                "saga sg_refund_1 record refunding", "saga sg_refund_1 record refunded",
            ])

            var returnAndRefund = Fixtures.application(order: "ord_2", reason: .quality, now: now)
            returnAndRefund.evidence = [Fixtures.photo(1)]
            let pending = try await calls.open(returnAndRefund, key: "open-2")
            #expect(pending.record.state == "PENDING_SELLER" && pending.record.decision.decidingRule == "default")
            #expect(pending.record.evidence.map(\.sha256) == [Fixtures.photo(1).sha256])
            #expect(pending.record.timers.map { "\($0.name) \($0.status)" } == ["T_seller running"])

            let cases = [try await calls.get(refundID), try await calls.get(pending.record.caseID)]
            let decisions = [try await calls.explain(refundID), try await calls.explain(pending.record.caseID)]
            #expect(decisions.map(\.outcome) == ["approve", "seller_review"])
            return Snapshot(
                cases: cases, decisions: decisions, events: try await calls.events(), opened: opened, refunded: refunded,
                refundOnly: refundOnly)
        }
        #expect(before.events.map(\.type) == [
            "aftersales.case.opened", "aftersales.case.changed", "aftersales.case.changed", "aftersales.case.saga_requested",
            "aftersales.case.changed", "aftersales.case.changed", "aftersales.case.closed",
            "aftersales.case.opened", "aftersales.case.changed", "aftersales.case.changed",
        ])
        first.kill()

        let second = try await ServiceProcess.start("aftersales", in: directory, arguments: AftersalesProcessCalls.arguments)
        defer { second.kill() }
        try await second.withCalls { calls in
            for response in before.cases {
                #expect(try await calls.get(response.record.caseID) == response)
            }
            for decision in before.decisions {
                #expect(try await calls.explain(decision.caseID) == decision)
            }
            #expect(try await calls.events() == before.events)
            // The key and the saga step still answer their first results.
            #expect(try await calls.open(before.refundOnly, key: "open-1") == before.opened)
            let refundID = before.opened.record.caseID
            #expect(try await calls.recordRefunded(refundID, amount: 10_000, saga: "sg_refund_1") == before.refunded)
            #expect(try await calls.events() == before.events, "answered from the ledgers: nothing new")

            // The feed goes on from where it was, without a gap.
            let pending = before.cases[1].record
            let approved = try await calls.approve(pending.caseID, version: pending.version, key: "approve-2")
            #expect(approved.record.state == "APPROVED")
            let after = try await calls.events()
            #expect(after.prefix(before.events.count) == before.events[...])
            #expect(after.dropFirst(before.events.count).map { "\($0.seq) \($0.type)" } == [
                "11 aftersales.case.changed", "12 aftersales.case.saga_requested",
            ])
        }
        #expect(try await second.stop() == 0)
    }

    @Test("T_seller is durable: after kill -9 and a restart with the clock advanced, the background pass fires it; a timer not due stays")
    func timerAfterRestart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try await ServiceProcess.start("aftersales", in: directory, arguments: AftersalesProcessCalls.arguments)
        let (withSeller, awaitingEvidence) = try await first.withCalls { calls in
            let now = try await calls.now()
            let withSeller = try await calls.open(Fixtures.application(order: "ord_1", now: now), key: "open-1")
            #expect(withSeller.record.state == "PENDING_SELLER" && withSeller.record.timers.map(\.name) == ["T_seller"])
            // A damaged item without a photo: the buyer has 72 hours (T_evidence) to add one.
            let awaitingEvidence = try await calls.open(Fixtures.application(order: "ord_2", reason: .damaged, now: now), key: "open-2")
            #expect(awaitingEvidence.record.state == "AWAITING_EVIDENCE" && awaitingEvidence.record.timers.map(\.name) == ["T_evidence"])
            return (withSeller, awaitingEvidence)
        }
        first.kill()

        let second = try await ServiceProcess.start("aftersales", in: directory, arguments: AftersalesProcessCalls.arguments)
        defer { second.kill() }
        try await second.withCalls { calls in
            // The restarted clock is the wall clock again: past T_seller's 48 hours, not T_evidence's 72.
            let now = try await calls.now()
            let deadline = withSeller.record.timers[0].deadlineUnixMicros
            try await calls.advance(byMicros: deadline - now + Micros.hour)
            // Wait for the background pass (a call touching the case would fire its timer too).
            let requested = try await calls.waitForEvents(AftersalesEventTypes.sagaRequested)
            #expect(requested.count == 1)
            let saga = requested.first?.payload(as: Aftercare_Aftersales_V1_SagaRequested.self)
            #expect(saga?.saga == "Return setup" && saga?.record.caseID == withSeller.record.caseID)
            #expect(saga?.record.state == "APPROVED")

            let fired = try await calls.get(withSeller.record.caseID)
            #expect(fired.record.state == "APPROVED")
            let entry = try #require(fired.history.last)
            #expect("\(entry.event) by \(entry.actor): \(entry.fromState) → \(entry.toState)" == "T_seller fired by timer: PENDING_SELLER → APPROVED")
            #expect(entry.seq == saga?.entrySeq)
            #expect(fired.record.timers.map { "\($0.name) \($0.status)" } == ["T_seller fired"])

            let untouched = try await calls.get(awaitingEvidence.record.caseID)
            #expect(untouched == awaitingEvidence)
            #expect(untouched.record.timers.map { "\($0.name) \($0.status)" } == ["T_evidence running"])
        }
    }

    @Test("an invalid policy file stops the executable with status 78, naming the line and the key")
    func invalidPolicyFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let yaml = PolicyFixtures.editedDefault("outcome: needs_evidence", "outcome: ask_for_photos")
        let path = directory.appending("policy.yaml")
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let line = PolicyFixtures.line(of: "ask_for_photos", in: yaml)
        let error = await #expect(throws: TestKitError.self) {
            let service = try await ServiceProcess.start(
                "aftersales", in: directory, arguments: AftersalesProcessCalls.arguments + ["--aftersales-policy", path])
            service.kill()
        }
        let message = error?.description ?? ""
        #expect(message.contains("exited with 78"), "\(message)")
        #expect(message.contains("aftersales.policy"), "\(message)")
        #expect(message.contains("line \(line), key rules[3].outcome: unknown outcome ask_for_photos"), "\(message)")
    }

    @Test("an edited policy file decides the same application differently, without recompiling; both decisions replay")
    func editedPolicyFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let yaml = PolicyFixtures.editedDefault("version: default-1", "version: edited-2")
            .split(separator: "no_reason_window: 7d").joined(separator: "no_reason_window: 15d")
        let path = directory.appending("policy.yaml")
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)

        // A no-reason return delivered 10 days ago: outside the default 7 days, inside the edited 15.
        @Sendable func lateNoReasonReturn(_ order: String, now: Int64) -> Aftercare_Aftersales_V1_OpenCaseRequest {
            var request = Fixtures.application(order: order, reason: .noReason7D, now: now)
            request.facts.deliveredAtUnixMicros = now - 10 * 24 * Micros.hour
            return request
        }
        let builtIn = try await ServiceProcess.start("aftersales", in: directory, arguments: AftersalesProcessCalls.arguments)
        let before = try await builtIn.withCalls { calls in
            #expect(try await calls.policy().version == "default-1")
            let opened = try await calls.open(lateNoReasonReturn("ord_1", now: try await calls.now()), key: "open-1")
            #expect(opened.record.state == "PENDING_SELLER" && opened.record.decision.sellerMayRefuse)
            #expect(opened.record.decision.policyVersion == "default-1" && opened.record.decision.decidingRule == "default")
            return opened
        }
        #expect(try await builtIn.stop() == 0)

        let edited = try await ServiceProcess.start(
            "aftersales", in: directory, arguments: AftersalesProcessCalls.arguments + ["--aftersales-policy", path])
        defer { edited.kill() }
        try await edited.withCalls { calls in
            let policy = try await calls.policy()
            #expect(policy.version == "edited-2" && policy.yaml == yaml)
            let opened = try await calls.open(lateNoReasonReturn("ord_2", now: try await calls.now()), key: "open-2")
            #expect(opened.record.state == "APPROVED" && !opened.record.decision.sellerMayRefuse)
            #expect(opened.record.decision.policyVersion == "edited-2" && opened.record.decision.decidingRule == "no_reason_return_in_window")
            #expect(opened.record.decision.sentence.contains("delivered 10 days ago, within the 15 days allowed"))
            // Each decision replays with the policy that made it, kept by its fingerprint.
            for decision in [before.record.decision, opened.record.decision] {
                let replay = try await calls.replay(decision.decisionID)
                #expect(replay.equal && replay.replayed == replay.stored && replay.stored.policyVersion == decision.policyVersion)
            }
            #expect(try await calls.explain(before.record.caseID).policyFingerprint != policy.fingerprint)
        }
    }

    @Test("services/aftersales/policy.yaml, which the executable ships, is the built-in default policy's text")
    func shippedPolicyFileIsTheDefault() throws {
        let shipped = try String(contentsOfFile: "\(RepositoryPaths.root)/services/aftersales/policy.yaml", encoding: .utf8)
        #expect(shipped == ReviewPolicy.defaultYAML)
        #expect(try ReviewPolicy.load(yaml: shipped).fingerprint == ReviewPolicy.builtIn.fingerprint)
    }
}
