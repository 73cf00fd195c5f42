import AftercareSagas
import AftercareServiceKit
import AftercareTesting
import AftercareWire
import Synchronization
import Testing

/// A step's outcome and the next call's attempt in one transaction, and a running saga kept in
/// memory while it is driven.
@Suite("Saga engine: one write per step")
struct SagaMergedWriteTests {
    @Test("a step's success is logged with the next call's attempt `sent`: six steps in nine commits")
    func oneCommitPerStep() async throws {
        try await SagaHarness.run { harness in
            let engine = try harness.engine([try Definitions.standard()])
            let commits = try await CommitCounter.counting(harness.database)
            try await engine.start("standard", sagaID: "sg_merged", values: ["input": "x"])
            let saga = try await engine.runToEnd("sg_merged")
            #expect(saga.state == .completed)
            // The start; the driver's start; a1 sent; five successes each with the next call sent;
            // f2's success with the saga's completion.
            #expect(commits.count == 9)
            #expect(try await harness.trail(engine, "sg_merged") == SagaEngineTests.forwardSteps.map { "\($0)/forward=ok" })
            #expect(try await engine.events("sg_merged").map(\.kind) == ["started", "completed"])
            #expect(try await engine.saga("sg_merged") == saga)
        }
    }

    @Test("an engine stopped once a step's success and the next call's `sent` are committed resumes at that call: asks, calls it once")
    func stoppedAfterMergedWrite() async throws {
        try await SagaHarness.run { harness in
            let definition = try Definitions.standard()
            let first = try harness.engine([definition])
            harness.payments.behaviour.withLock { $0.hang = ["a2"] }
            try await first.start("standard", sagaID: "sg_stop", values: ["input": "x"])
            let driver = Task { try await first.runToEnd("sg_stop") }
            try await poll { harness.payments.seen.contains { $0.saga?.step == "a2" } }
            driver.cancel()
            _ = await driver.result
            #expect(try await harness.trail(first, "sg_stop") == ["a1/forward=ok", "a2/forward=sent"])
            let stopped = try #require(try await first.saga("sg_stop"))
            #expect(stopped.completed == ["a1"] && stopped.position == 1 && stopped.awaitingQuery && stopped.tries == 1)
            #expect(try await harness.effects() == ["orders:a1/forward"])

            harness.payments.behaviour.withLock { $0.hang = [] }
            let second = try harness.engine([definition])
            #expect(try await second.runToEnd("sg_stop").state == .completed)
            let trail = try await harness.trail(second, "sg_stop")
            #expect(trail.prefix(4) == ["a1/forward=ok", "a2/forward=unknown", "?a2/forward=queried_absent", "a2/forward=ok"])
            #expect(try await harness.effects().sorted() == [
                "orders:a1/forward", "orders:a3/forward", "orders:f1/forward", "payments:a2/forward", "payments:f2/forward", "payments:p/forward",
            ])
        }
    }
}
