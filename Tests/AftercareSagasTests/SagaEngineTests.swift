import AftercareRPC
import AftercareSagas
import AftercareServiceKit
import Synchronization
import AftercareWire
import Testing

/// The engine's paths: the happy path, refusals at each step, transient failures, lost replies,
/// duplicates, and `start` twice.
@Suite("Saga engine")
struct SagaEngineTests {
    static let forwardSteps = ["a1", "a2", "a3", "p", "f1", "f2"]

    @Test("happy path: every step once, in order; values flow; every call carries the saga context and the trace id")
    func happyPath() async throws {
        try await SagaHarness.run { harness in
            let engine = try harness.engine([try Definitions.standard()])
            let trace = TraceID.random()
            try await engine.start("standard", sagaID: "sg_happy", values: ["input": "case_1"], traceID: trace)
            let saga = try await engine.runToEnd("sg_happy")
            #expect(saga.state == .completed)
            #expect(saga.completed == Self.forwardSteps)
            #expect(saga.version == 3)
            #expect(try await harness.trail(engine, "sg_happy") == Self.forwardSteps.map { "\($0)/forward=ok" })
            #expect(try await harness.effects().sorted() == [
                "orders:a1/forward", "orders:a3/forward", "orders:f1/forward", "payments:a2/forward", "payments:f2/forward", "payments:p/forward",
            ])
            // Each request was built from the previous step's output.
            let calls = (harness.orders.seen + harness.payments.seen).sorted { Self.forwardSteps.firstIndex(of: $0.saga?.step ?? "") ?? 0 < Self.forwardSteps.firstIndex(of: $1.saga?.step ?? "") ?? 0 }
            #expect(calls.map(\.input) == ["case_1", "orders:a1:forward", "payments:a2:forward", "orders:a3:forward", "payments:p:forward", "orders:f1:forward"])
            for call in calls {
                #expect(call.traceID == trace)
                #expect(call.saga?.sagaID == "sg_happy")
                #expect(call.saga?.direction == .forward)
                #expect(call.saga?.attempt == 1)
                #expect(call.method.hasSuffix("/Do"))
            }
            #expect(saga.values["f2.out"] == "payments:f2:forward")
            #expect(try await engine.events("sg_happy").map(\.kind) == ["started", "completed"])
        }
    }

    /// What the attempt log shows when step `refused` is refused.
    static func expectedTrail(refused: String) -> (SagaState, [String]) {
        let index = Self.forwardSteps.firstIndex(of: refused) ?? 0
        let forward = Self.forwardSteps[..<index].map { "\($0)/forward=ok" } + ["\(refused)/forward=refused"]
        guard index <= 3 else { return (.stuck, forward) }
        let undone = Self.forwardSteps[..<min(index, 3)].reversed().map { "\($0)/compensate=ok" }
        return (.compensated, forward + undone + ["record/forward=ok"])
    }

    @Test("a refused step: before or at the pivot, compensated in reverse then on-compensated; after it, stuck", arguments: Self.forwardSteps)
    func refusal(_ refused: String) async throws {
        try await SagaHarness.run { harness in
            let engine = try harness.engine([try Definitions.standard()])
            let participant = ["a2", "p", "f2"].contains(refused) ? harness.payments : harness.orders
            participant.behaviour.withLock { $0.refuse = [refused] }
            try await engine.start("standard", sagaID: "sg_refuse", values: ["input": "case_1"])
            let saga = try await engine.runToEnd("sg_refuse")
            let (state, trail) = Self.expectedTrail(refused: refused)
            #expect(saga.state == state)
            #expect(try await harness.trail(engine, "sg_refuse") == trail)
            #expect(saga.reason.contains("\(refused)/forward was refused: FAILED_PRECONDITION"))
            let kinds = try await engine.events("sg_refuse").map(\.kind)
            #expect(kinds == (state == .stuck ? ["started", "stuck"] : ["started", "compensating", "compensated"]))
            // Effects: each completed step once, each compensation once, never the refused step.
            let effects = try await harness.effects()
            #expect(!effects.contains { $0.hasSuffix(":\(refused)/forward") })
            #expect(Set(effects).count == effects.count)
        }
    }

    @Test("transient failures not executed are retried with growing back-off and no query")
    func transient() async throws {
        try await SagaHarness.run { harness in
            let engine = try harness.engine([try Definitions.standard()])
            harness.payments.behaviour.withLock { $0.transient = ["a2": 3] }
            try await engine.start("standard", sagaID: "sg_transient", values: ["input": "x"])
            #expect(try await engine.runToEnd("sg_transient").state == .completed)
            let attempts = try await engine.attempts("sg_transient").filter { $0.step == "a2" }
            #expect(attempts.map(\.result) == [.notExecuted, .notExecuted, .notExecuted, .ok])
            #expect(attempts.allSatisfy { $0.kind == .call })
            #expect(attempts.map(\.attempt) == [1, 2, 3, 4])
            #expect(attempts.map(\.backoffMicros) == [0, 10_000, 20_000, 40_000])
            #expect(harness.waits.all == [.milliseconds(10), .milliseconds(20), .milliseconds(40)])
            #expect(harness.payments.seen.filter { $0.saga?.step == "a2" }.map { $0.saga?.attempt } == [1, 2, 3, 4])
            #expect(try await harness.effects().filter { $0.contains("a2") } == ["payments:a2/forward"])
        }
    }

    @Test("a call that executed and lost its reply is settled by QueryStep, not executed twice")
    func lostReply() async throws {
        try await SagaHarness.run { harness in
            let engine = try harness.engine([try Definitions.standard()])
            harness.payments.behaviour.withLock { $0.loseReply = ["a2"] }
            try await engine.start("standard", sagaID: "sg_lost", values: ["input": "x"])
            let saga = try await engine.runToEnd("sg_lost")
            #expect(saga.state == .completed)
            #expect(try await harness.trail(engine, "sg_lost").prefix(4) == ["a1/forward=ok", "a2/forward=unknown", "?a2/forward=queried_done", "a3/forward=ok"])
            // The stored response was absorbed: a3's request is a2's output.
            #expect(harness.orders.seen.first { $0.saga?.step == "a3" }?.input == "payments:a2:forward")
            #expect(harness.payments.seen.filter { $0.saga?.step == "a2" }.count == 1)
            #expect(try await harness.effects().filter { $0.contains("a2") } == ["payments:a2/forward"])
        }
    }

    @Test("a reply dropped by the faulty transport ends unknown at the deadline and is settled by QueryStep")
    func droppedReply() async throws {
        try await SagaHarness.run(faults: "drop-reply orders/Do #2") { harness in
            // The dropped reply surfaces at the call's timeout; on a loaded machine other calls may
            // time out too, so the trail is checked for what must be there, not exactly.
            let policy = SagaRetryPolicy(initialBackoff: .milliseconds(10), jitter: 0, maxAttempts: 5, callTimeout: .seconds(1))
            let engine = try harness.engine([try Definitions.standard(policy: policy)])
            try await engine.start("standard", sagaID: "sg_drop", values: ["input": "x"])
            #expect(try await engine.runToEnd("sg_drop").state == .completed)
            let trail = try await harness.trail(engine, "sg_drop")
            // Normally the dropped reply is a3's (the second call to orders); whichever it was, its
            // attempt ended unknown, the query found it done, and it never ran twice.
            #expect(trail.contains { $0.hasPrefix("?") && $0.hasSuffix("=queried_done") })
            #expect(trail.contains("p/forward=ok"))
            let effects = try await harness.effects()
            #expect(Set(effects).count == effects.count && effects.filter { $0.contains("a3") } == ["orders:a3/forward"])
        }
    }

    @Test("every call delivered twice changes nothing: each effect happens once", arguments: ["", "p"])
    func duplicates(_ refused: String) async throws {
        try await SagaHarness.run(faults: "duplicate *") { harness in
            let engine = try harness.engine([try Definitions.standard()])
            harness.payments.behaviour.withLock { $0.refuse = refused.isEmpty ? [] : [refused] }
            try await engine.start("standard", sagaID: "sg_dup", values: ["input": "x"])
            let saga = try await engine.runToEnd("sg_dup")
            #expect(saga.state == (refused.isEmpty ? .completed : .compensated))
            let calls = try await engine.attempts("sg_dup").count
            try await poll { harness.orders.seen.count + harness.payments.seen.count == 2 * calls }
            let effects = try await harness.effects()
            #expect(Set(effects).count == effects.count)
            #expect(effects.count == (refused.isEmpty ? 6 : 3 + 3 + 1))
        }
    }

    @Test("start twice with one id runs one saga and answers the first")
    func startTwice() async throws {
        try await SagaHarness.run { harness in
            let engine = try harness.engine([try Definitions.standard()])
            let first = try await engine.start("standard", sagaID: "sg_once", values: ["input": "first"])
            let second = try await engine.start("standard", sagaID: "sg_once", values: ["input": "second"])
            // The first start answers the record it wrote, the second the one it read: alike.
            #expect(second.values == first.values)
            #expect(second.traceID == first.traceID)
            #expect(
                [second.id, second.definition, "\(second.version)", "\(second.createdMicros)", "\(second.forwardStartedMicros)"]
                    == [first.id, first.definition, "\(first.version)", "\(first.createdMicros)", "\(first.forwardStartedMicros)"])
            #expect(try await engine.runToEnd("sg_once").state == .completed)
            #expect(try await engine.list().map(\.id) == ["sg_once"])
            #expect(try await engine.list(state: .completed).count == 1)
            #expect(try await harness.effects().count == 6)
            #expect(harness.orders.seen.first?.input == "first")
            await #expect(throws: SagaError.self) { try await engine.start("nope", sagaID: "sg_x", values: [:]) }
        }
    }
}
