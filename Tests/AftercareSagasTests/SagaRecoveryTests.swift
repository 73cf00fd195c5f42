import AftercareRPC
import AftercareSagas
import AftercareServiceKit
import AftercareTesting
import Synchronization
import AftercareWire
import Testing

/// Crash and resume, budgets, stuck sagas and operator actions.
@Suite("Saga recovery and operators")
struct SagaRecoveryTests {
    @Test("an engine stopped after writing an attempt `sent` is resumed by a new one, which asks first and completes once")
    func crashResume() async throws {
        try await SagaHarness.run { harness in
            let definition = try Definitions.standard()
            let first = try harness.engine([definition])
            harness.payments.behaviour.withLock { $0.executeThenHang = ["a2"] }
            try await first.start("standard", sagaID: "sg_crash", values: ["input": "x"])
            let driver = Task { try await first.runToEnd("sg_crash") }
            try await poll { try await harness.payments.effects() == ["a2/forward"] }
            driver.cancel()
            _ = await driver.result
            #expect(try await harness.trail(first, "sg_crash") == ["a1/forward=ok", "a2/forward=sent"])
            #expect(try await first.saga("sg_crash")?.awaitingQuery == true)

            harness.payments.behaviour.withLock { $0.executeThenHang = [] }
            let second = try harness.engine([definition])
            let saga = try await second.runToEnd("sg_crash")
            #expect(saga.state == .completed)
            let trail = try await harness.trail(second, "sg_crash")
            #expect(trail.prefix(4) == ["a1/forward=ok", "a2/forward=unknown", "?a2/forward=queried_done", "a3/forward=ok"])
            #expect(try await harness.effects().sorted() == [
                "orders:a1/forward", "orders:a3/forward", "orders:f1/forward", "payments:a2/forward", "payments:f2/forward", "payments:p/forward",
            ])
        }
    }

    @Test("run() resumes unfinished sagas at start and runs new ones")
    func runService() async throws {
        try await SagaHarness.run { harness in
            let engine = try harness.engine([try Definitions.standard()])
            try await engine.start("standard", sagaID: "sg_before", values: ["input": "x"])
            let service = Task { try await engine.run() }
            try await engine.start("standard", sagaID: "sg_after", values: ["input": "y"])
            try await poll { try await engine.list(state: .completed).count == 2 }
            service.cancel()
            _ = await service.result
            #expect(try await harness.effects().count == 12)
        }
    }

    @Test("a forward step hanging past the forward budget is compensated with the full compensation budget")
    func forwardBudget() async throws {
        try await SagaHarness.run { harness in
            // Generous enough that a1 finishes, and a2 has a whole attempt time out, within the
            // budget on a loaded machine (under two busy loops, 6 s left a2 none); a2 hangs.
            let policy = SagaRetryPolicy(initialBackoff: .milliseconds(10), jitter: 0, maxAttempts: 100, callTimeout: .seconds(2))
            let engine = try harness.engine([
                try Definitions.standard(policy: policy, forwardBudget: .seconds(10), compensationBudget: .seconds(30))
            ])
            harness.payments.behaviour.withLock { $0.hang = ["a2"] }
            try await engine.start("standard", sagaID: "sg_budget", values: ["input": "x"])
            let saga = try await engine.runToEnd("sg_budget")
            #expect(saga.state == .compensated)
            #expect(saga.reason == "a2/forward ran out of the forward budget")
            let attempts = try await engine.attempts("sg_budget")
            let a2 = attempts.filter { $0.step == "a2" && $0.direction == .forward }
            #expect(a2.contains { $0.result == .unknown })
            #expect(a2.allSatisfy { $0.timeoutMicros <= 2_000_000 })
            // The given-up step is compensated first (nothing to undo), then a1; each with the policy's full timeout.
            let undo = attempts.filter { $0.direction == .compensate }
            #expect(undo.map(\.step) == ["a2", "a1"])
            #expect(undo.allSatisfy { $0.timeoutMicros == 2_000_000 && $0.result == .ok })
            #expect(try await harness.effects() == ["orders:a1/forward", "orders:a1/compensate", "orders:record/forward"])
            // A late forward call of a2 is fenced by the participant's ledger.
            #expect(try await harness.payments.ledger.steps.query(sagaID: "sg_budget", step: "a2").compensate.outcome == .nothingToUndo)
        }
    }

    @Test("a compensation that keeps failing ends stuck; an operator retry completes it once the participant recovers")
    func stuckThenRetry() async throws {
        try await SagaHarness.run { harness in
            let engine = try harness.engine([try Definitions.standard()])
            harness.orders.behaviour.withLock { $0.refuse = ["a3"] }
            harness.payments.behaviour.withLock { $0.failUndo = ["a2"] }
            try await engine.start("standard", sagaID: "sg_stuck", values: ["input": "x"])
            let stuck = try await engine.runToEnd("sg_stuck")
            #expect(stuck.state == .stuck)
            #expect(stuck.reason == "a2/compensate failed 5 attempts")
            #expect(try await engine.attempts("sg_stuck").filter { $0.direction == .compensate }.count == 5)
            #expect(try await engine.list(state: .stuck).map(\.id) == ["sg_stuck"])
            // Nothing more happens while it is stuck.
            #expect(try await engine.runToEnd("sg_stuck").state == .stuck)

            harness.payments.behaviour.withLock { $0.failUndo = [] }
            try await engine.retry("sg_stuck", reason: "payments is back (ticket 42)")
            let done = try await engine.runToEnd("sg_stuck")
            #expect(done.state == .compensated)
            #expect(try await harness.effects().sorted() == [
                "orders:a1/compensate", "orders:a1/forward", "orders:record/forward", "payments:a2/compensate", "payments:a2/forward",
            ])
            let events = try await engine.events("sg_stuck")
            #expect(events.map(\.kind) == ["started", "compensating", "stuck", "retried", "compensated"])
            #expect(events[3].reason == "payments is back (ticket 42)")
        }
    }

    @Test("the compensation budget running out makes the saga stuck")
    func compensationBudget() async throws {
        try await SagaHarness.run { harness in
            let policy = SagaRetryPolicy(initialBackoff: .milliseconds(10), jitter: 0, maxAttempts: 1_000, callTimeout: .seconds(1))
            let engine = try harness.engine([try Definitions.standard(policy: policy, compensationBudget: .milliseconds(200))])
            harness.orders.behaviour.withLock { $0.refuse = ["a3"] }
            harness.payments.behaviour.withLock { $0.failUndo = ["a2"] }
            try await engine.start("standard", sagaID: "sg_cbudget", values: ["input": "x"])
            let saga = try await engine.runToEnd("sg_cbudget")
            #expect(saga.state == .stuck)
            #expect(saga.reason == "a2/compensate ran out of the compensation budget")
        }
    }

    @Test("resolve closes a stuck saga by hand with its reason; operator actions need a stuck saga; the stuck saga counted until then",
          arguments: TestSQLDriver.allCases)
    func resolve(driver: TestSQLDriver) async throws {
        try await SagaHarness.run { harness in
            try await driver.withDatabase(migrations: .sagas) { database in
                let engine = try harness.engine([try Definitions.standard()], database: database)
                let gauges = CountedGauges(label: "aftercare_sagas", dimensions: ["kind", "state"])
                harness.payments.behaviour.withLock { $0.refuse = ["f2"] }
                try await engine.start("standard", sagaID: "sg_resolve", values: ["input": "x"])
                #expect(try await engine.unfinished(countedBy: gauges) == [["standard", "running"]: 1])
                #expect(try await engine.runToEnd("sg_resolve").state == .stuck)
                #expect(try await engine.unfinished(countedBy: gauges) == [["standard", "stuck"]: 1])
                let resolved = try await engine.resolve("sg_resolve", reason: "refunded by bank transfer, ticket 7")
                #expect(resolved.state == .resolved)
                #expect(resolved.reason == "refunded by bank transfer, ticket 7")
                #expect(try await engine.saga("sg_resolve") == resolved)
                #expect(try await engine.list() == [resolved])
                #expect(try await engine.unfinished(countedBy: gauges).isEmpty)
                let last = try await engine.events("sg_resolve").last
                #expect(last?.kind == "resolved")
                #expect(last?.reason == "refunded by bank transfer, ticket 7")
                await #expect(throws: SagaError.self) { try await engine.retry("sg_resolve", reason: "again") }
                await #expect(throws: SagaError.self) { try await engine.resolve("sg_none", reason: "x") }
            }
        }
    }
}
