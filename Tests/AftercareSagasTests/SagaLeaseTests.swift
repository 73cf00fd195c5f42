import AftercareSagas
import AftercareServiceKit
import AftercareTesting
import Synchronization
import Testing

/// Several engines on one saga log (several gateways): each saga driven by one engine at a time,
/// under a lease; a dead engine's sagas taken over once its leases run out. The log and the
/// participants' databases on either driver.
@Suite("Saga leases")
struct SagaLeaseTests {
    /// A lease of `seconds`: long where a takeover would be a failure (a loaded machine can stall
    /// an engine for a second), short where the test waits for one.
    static func lease(_ owner: String, seconds: Int = 1) -> SagaLease { SagaLease(owner: owner, duration: .seconds(seconds)) }

    @Test("two engines running on one log: each saga completes once, every step called once, whichever engine started it", arguments: TestSQLDriver.allCases)
    func twoEngines(driver: TestSQLDriver) async throws {
        try await SagaHarness.run(driver: driver) { harness in
            try await driver.withDatabase(migrations: .sagas) { database in
                let definition = try Definitions.standard()
                let first = try harness.engine([definition], database: database, lease: Self.lease("g1", seconds: 20))
                let second = try harness.engine([definition], database: database, lease: Self.lease("g2", seconds: 20))
                let running = [Task { try await first.run() }, Task { try await second.run() }]
                for index in 0..<8 {
                    try await (index.isMultiple(of: 2) ? first : second).start("standard", sagaID: "sg_\(index)", values: ["input": "x\(index)"])
                }
                try await poll { try await first.list(state: .completed).count == 8 }
                for task in running { task.cancel() }
                for task in running { _ = await task.result }
                // Six steps a saga, each called once: no engine sent another's call again.
                #expect(harness.orders.seen.count + harness.payments.seen.count == 8 * 6)
                #expect(try await harness.effects().count == 8 * 6)
                for index in 0..<8 {
                    let trail = try await harness.trail(first, "sg_\(index)")
                    #expect(trail.filter { !$0.hasSuffix("=ok") } == [], "\(trail)")
                }
            }
        }
    }

    @Test("an engine that dies mid-call: another takes its saga over once the lease ran out, asks the participant first, and completes it once", arguments: TestSQLDriver.allCases)
    func takeOver(driver: TestSQLDriver) async throws {
        try await SagaHarness.run(driver: driver) { harness in
            try await driver.withDatabase(migrations: .sagas) { database in
                let definition = try Definitions.standard()
                let dying = try harness.engine([definition], database: database, lease: Self.lease("g1"))
                let survivor = try harness.engine([definition], database: database, lease: Self.lease("g2"))
                harness.payments.behaviour.withLock { $0.executeThenHang = ["a2"] }
                let dyingRun = Task { try await dying.run() }
                try await dying.start("standard", sagaID: "sg_taken", values: ["input": "x"])
                try await poll { try await harness.payments.effects() == ["a2/forward"] }
                let survivorRun = Task { try await survivor.run() }
                // The survivor leaves the saga alone while its lease is renewed.
                try await Task.sleep(for: .milliseconds(1_500))
                #expect(try await survivor.saga("sg_taken")?.state == .running)
                #expect(try await harness.trail(survivor, "sg_taken") == ["a1/forward=ok", "a2/forward=sent"])

                // The engine dies: its call stays `sent`, its lease is no longer renewed.
                dyingRun.cancel()
                _ = await dyingRun.result
                harness.payments.behaviour.withLock { $0.executeThenHang = [] }
                try await poll { try await survivor.saga("sg_taken")?.state == .completed }
                survivorRun.cancel()
                _ = await survivorRun.result
                let trail = try await harness.trail(survivor, "sg_taken")
                #expect(trail.prefix(4) == ["a1/forward=ok", "a2/forward=unknown", "?a2/forward=queried_done", "a3/forward=ok"])
                #expect(try await harness.effects().sorted() == [
                    "orders:a1/forward", "orders:a3/forward", "orders:f1/forward", "payments:a2/forward", "payments:f2/forward", "payments:p/forward",
                ])

                // A write of the dead engine arriving late changes nothing.
                let saga = try #require(try await survivor.saga("sg_taken"))
                var stale = saga
                stale.state = .running
                let late = stale
                await #expect(throws: SagaError.self) {
                    try await database.transaction { db in try SagaStore().update(late, leasedBy: Self.lease("g1"), in: db) }
                }
                #expect(try await survivor.saga("sg_taken")?.state == .completed)
            }
        }
    }
}
