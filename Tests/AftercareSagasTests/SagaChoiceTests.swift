import AftercareWire
import SwiftProtobuf
import AftercareRPC
import AftercareSagas
import Synchronization
import Testing

/// A step whose call is chosen from the saga's values, and the refusal the on-compensated step sees.
@Suite("Saga choices and refusals")
struct SagaChoiceTests {
    /// `a` calls orders' `Do` or `Undo` (as a forward call) by the value `use`, and is compensated
    /// the same way; the pivot `p` on payments; the on-compensated step sends the refusal it saw.
    static func definition() throws -> SagaDefinition {
        let choice = SagaAction.choosing(
            { values in try values.require("use") == "do" },
            Definitions.action("a", on: "orders", from: nil),
            else: Definitions.action("a", on: "orders", from: nil, verb: "Undo"))
        let record = SagaAction.unary(
            TestParticipant.method("orders", "Do"), on: "orders",
            request: { values in
                TestParticipant.Value("\(values[SagaValues.refusalKey] ?? "-")|\(values[SagaValues.compensationReasonKey] ?? "-")")
            })
        return try SagaDefinition(
            name: "choice",
            steps: [.compensable("a", choice, compensation: choice, retry: Definitions.fast), .pivot("p", Definitions.action("p", on: "payments", from: "a"))],
            onCompensated: .forward("record", record, retry: Definitions.fast))
    }

    @Test("the values choose the call, for the forward call and its compensation alike", arguments: ["do", "undo"])
    func choosesByValues(_ use: String) async throws {
        try await SagaHarness.run { harness in
            harness.payments.behaviour.withLock { $0.refuse = ["p"] }
            let engine = try harness.engine([try Self.definition()])
            try await engine.start("choice", sagaID: "sg_choice", values: ["use": use, "input": "case_1"])
            let saga = try await engine.runToEnd("sg_choice")
            #expect(saga.state == .compensated)
            let verb = use == "do" ? "Do" : "Undo"
            let methods = harness.orders.seen.filter { $0.saga?.step == "a" }.map { "\($0.method)/\($0.saga?.direction.description ?? "")" }
            #expect(methods == ["aftercare.test.v1.Orders/\(verb)/forward", "aftercare.test.v1.Orders/\(verb)/compensate"])
            // The compensation's answer, absorbed by the call that made it.
            #expect(saga.values[verb == "Do" ? "a.out" : "a.undone"] == "orders:a:compensate")
        }
    }

    @Test("the on-compensated step sees the participant's refusal and the reason the saga turned back")
    func refusalInValues() async throws {
        try await SagaHarness.run { harness in
            harness.payments.behaviour.withLock { $0.refuse = ["p"] }
            let engine = try harness.engine([try Self.definition()])
            try await engine.start("choice", sagaID: "sg_refusal", values: ["use": "do", "input": "case_1"])
            let saga = try await engine.runToEnd("sg_refusal")
            #expect(saga.values[SagaValues.refusalKey] == "payments refuses p")
            #expect(saga.values[SagaValues.compensationReasonKey] == saga.reason)
            let recorded = harness.orders.seen.first { $0.saga?.step == "record" }?.input
            #expect(recorded == "payments refuses p|p/forward was refused: FAILED_PRECONDITION: payments refuses p")
        }
    }

    @Test("an answer that says pending is sent again after a back-off, and the saga moves on once it is settled")
    func pendingAnswer() async throws {
        try await SagaHarness.run { harness in
            let answers = Mutex(0)
            let settling = SagaAction.unary(
                TestParticipant.method("payments", "Do"), on: "payments",
                request: { values in TestParticipant.Value(try values.require("input")) },
                settledOutput: { response, values throws(SagaStepPending) in
                    let seen = answers.withLock { count in
                        count += 1
                        return count
                    }
                    guard seen > 2 else { throw SagaStepPending("provider has not answered") }
                    values["p.out"] = response.value
                })
            let definition = try SagaDefinition(
                name: "pending",
                steps: [.pivot("p", settling, retry: Definitions.fast), .forward("f", Definitions.action("f", on: "orders", from: "p"), retry: Definitions.fast)])
            let engine = try harness.engine([definition])
            try await engine.start("pending", sagaID: "sg_pending", values: ["input": "case_1"])
            let saga = try await engine.runToEnd("sg_pending")
            #expect(saga.state == .completed)
            #expect(try await harness.trail(engine, "sg_pending") == ["p/forward=pending", "p/forward=pending", "p/forward=ok", "f/forward=ok"])
            #expect(harness.waits.all.count == 2)
            // Executed once: the repeats were the ledger's replays.
            #expect(try await harness.effects() == ["orders:f/forward", "payments:p/forward"])
        }
    }
}
