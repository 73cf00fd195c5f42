import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import AftercareWire
import Foundation
import Logging
import Synchronization
import Testing

/// The kit's shared tables on both drivers of the database layer: the event feed, the step and
/// idempotency ledgers, the feed cursors, the spans and the after-commit hook, run by the same code
/// on SQLite and on PostgreSQL; and, on PostgreSQL, what several writers at once must not break.
@Suite("The kit on both drivers")
struct KitDriversTests {
    static let clock = ServiceClock(testMode: true, fixedStart: Date(timeIntervalSince1970: 1_790_000_000))

    static func event(_ type: String) -> Aftercare_Common_V1_Event {
        var event = Aftercare_Common_V1_Event()
        event.type = type
        return event
    }

    @Test("the feed numbers events 1, 2, 3 in commit order, reads them by type, and nothing of a rolled-back write", arguments: TestSQLDriver.allCases)
    func feed(driver: TestSQLDriver) async throws {
        try await driver.withDatabase(migrations: KitFixture.portable) { database in
            let feed = EventFeed(source: "test", database: database, clock: Self.clock)
            for type in ["a.made", "b.made", "a.made"] {
                _ = try await database.transaction { db in try feed.append(Self.event(type), context: nil, in: db) }
            }
            await #expect(throws: RPCError.self) {
                try await database.transaction { db in
                    _ = try feed.append(Self.event("c.made"), context: nil, in: db)
                    throw RPCError.failedPrecondition("refused after its event")
                }
            }
            #expect(try await feed.head() == 3)
            #expect(try await feed.read(afterSeq: 0, limit: 10).map(\.seq) == [1, 2, 3])
            #expect(try await feed.read(afterSeq: 1, limit: 10, types: ["a.made"]).map(\.seq) == [3])
            #expect(try await feed.read(afterSeq: 0, limit: 2).map(\.type) == ["a.made", "b.made"])
        }
    }

    @Test("on PostgreSQL, 24 writers appending at once get 1…24, each once, and a follower meanwhile sees every one in order")
    func feedUnderConcurrentWriters() async throws {
        try await TestSQLDriver.postgres.withDatabase(migrations: KitFixture.portable) { database in
            let feed = EventFeed(source: "test", database: database, clock: Self.clock, pollInterval: .milliseconds(20))
            let seen = Mutex<[Int64]>([])
            let follower = Task {
                try await feed.follow(afterSeq: 0) { event in
                    seen.withLock { $0.append(event.seq) }
                    if event.seq == 24 { throw CancellationError() }
                }
            }
            let numbers = try await withThrowingTaskGroup(of: Int64.self) { group in
                for index in 0..<24 {
                    group.addTask {
                        try await database.transaction { db in
                            // A row of the writer's own too: the event and its change commit together.
                            _ = try KitFixture.add(1, to: "writer-\(index)", in: db)
                            return try feed.append(Self.event("w.\(index)"), context: nil, in: db).seq
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(numbers.sorted() == Array(1...24))
            _ = await follower.result
            #expect(seen.withLock { $0 } == Array(1...24))
        }
    }

    @Test(
        "on PostgreSQL, 32 appenders at once, each holding the feed a while: numbered 1…32, each run once (READ COMMITTED) or at most twice (SERIALIZABLE)",
        arguments: TwoWriters.Isolation.allCases)
    func feedAppendersRunAtMostTwice(isolation: TwoWriters.Isolation) async throws {
        try await TestSQLDriver.postgres.withDatabase(migrations: KitFixture.portable) { database in
            let feed = EventFeed(source: "test", database: database, clock: Self.clock)
            let runs = RunsPerWriter()
            let numbers = try await withThrowingTaskGroup(of: Int64.self) { group in
                for index in 0..<32 {
                    group.addTask {
                        try await database.transaction { db in
                            runs.ran(index)
                            if isolation == .serializable { try db.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE") }
                            _ = try KitFixture.add(1, to: "writer-\(index)", in: db)
                            let seq = try feed.append(Self.event("w.\(index)"), context: nil, in: db).seq
                            // Work after the append keeps the feed's lock held, so the others'
                            // snapshots fall behind it.
                            Thread.sleep(forTimeInterval: 0.003)
                            return seq
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(numbers.sorted() == Array(1...32))
            Self.expectRuns(runs, at: isolation)
        }
    }

    /// Each writer ran once at READ COMMITTED, where the lock key's wait is all; at SERIALIZABLE
    /// some were rolled back once (their snapshot older than the wait), none twice.
    static func expectRuns(_ runs: RunsPerWriter, at isolation: TwoWriters.Isolation) {
        let most = runs.most
        switch isolation {
        case .readCommitted:
            #expect(most == 1, "a writer ran \(most) times")
        case .serializable:
            #expect(most <= 2, "a writer ran \(most) times")
            #expect(most >= 2, "no writer was rolled back once: the test raced nothing")
        }
    }

    /// At SERIALIZABLE only: at READ COMMITTED the upsert's own row lock already makes each writer
    /// run once, with or without the key.
    @Test("on PostgreSQL at SERIALIZABLE, 16 writers moving one head row under its lock key: the head counts 16, each run at most twice")
    func headRowUnderLock() async throws {
        try await TestSQLDriver.postgres.withDatabase(migrations: KitFixture.portable) { database in
            let runs = RunsPerWriter()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<16 {
                    group.addTask {
                        try await database.transaction { db in
                            runs.ran(index)
                            try db.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")
                            try db.serialize(on: SQLLockKey("counters:head"))
                            _ = try KitFixture.add(1, to: "head", in: db)
                            Thread.sleep(forTimeInterval: 0.003)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await database.snapshot { db in try db.queryValue("SELECT value FROM counters WHERE name = 'head'", as: Int64.self) } == 16)
            Self.expectRuns(runs, at: .serializable)
        }
    }

    @Test("after-commit actions run once the transaction committed, never for a body or savepoint rolled back", arguments: TestSQLDriver.allCases)
    func afterCommit(driver: TestSQLDriver) async throws {
        try await driver.withDatabase(migrations: KitFixture.portable) { database in
            let ran = Mutex<[String]>([])
            try await database.transaction { db in
                db.afterCommit { ran.withLock { $0.append("kept") } }
                #expect(ran.withLock { $0 }.isEmpty)
                _ = try? db.withSavepoint { () throws -> Void in
                    db.afterCommit { ran.withLock { $0.append("savepoint rolled back") } }
                    throw RPCError.failedPrecondition("rolled back")
                }
                try db.withSavepoint { db.afterCommit { ran.withLock { $0.append("savepoint kept") } } }
            }
            await #expect(throws: RPCError.self) {
                try await database.transaction { db in
                    db.afterCommit { ran.withLock { $0.append("body rolled back") } }
                    throw RPCError.failedPrecondition("rolled back")
                }
            }
            #expect(ran.withLock { $0 } == ["kept", "savepoint kept"])
        }
    }

    @Test("on PostgreSQL, a transaction retried after a serialization failure runs the actions of its committed attempt only")
    func afterCommitOnRetry() async throws {
        try await TestSQLDriver.postgres.withDatabase(migrations: KitFixture.portable) { database in
            let actions = Tally()
            let bodies = Tally()
            // Both read the counter, meet, then write what they read plus one: SERIALIZABLE rolls
            // one back, and the driver runs it again.
            let results = await TwoWriters.race(database, isolation: .serializable) { _, db, gate in
                bodies.add()
                let value = try db.queryValue("SELECT value FROM counters WHERE name = 'hot'", as: Int64.self) ?? 0
                gate.pass()
                try db.execute(
                    "INSERT INTO counters (name, value) VALUES ('hot', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                    [value + 1])
                db.afterCommit { actions.add() }
            }
            for result in results { try result.get() }
            let value = try await database.snapshot { db in try db.queryValue("SELECT value FROM counters WHERE name = 'hot'", as: Int64.self) }
            #expect(value == 2)
            // Three bodies ran (one of them again after its rollback); two committed, two actions ran.
            #expect(bodies.value == 3)
            #expect(actions.value == 2)
        }
    }

    @Test("on PostgreSQL, a transaction rolled back for conflicts at every attempt ends as DATABASE_CONTENTION: UNAVAILABLE, not executed, nothing written")
    func contention() async throws {
        try await TestSQLDriver.postgres.withDatabase(migrations: KitFixture.portable) { database in
            let bodies = Tally()
            let fault = await #expect(throws: StorageFault.self) {
                try await database.transaction { db in
                    bodies.add()
                    _ = try KitFixture.add(1, to: "never", in: db)
                    // What PostgreSQL answers a transaction that conflicts with a concurrent one.
                    _ = try db.execute("DO $$ BEGIN RAISE EXCEPTION 'forced conflict' USING ERRCODE = '40001'; END $$")
                }
            }
            #expect(fault?.cause == .contention)
            #expect(bodies.value == 12, "every attempt ran")
            let status = fault?.rpcError(method: "test.v1.Counters/Add")
            #expect(status?.code == .unavailable && status?.outcome == .notExecuted)
            #expect(status?.retryAfter == StorageFault.retryAfterContention)
            let never = try await database.snapshot { db in try db.queryValue("SELECT value FROM counters WHERE name = 'never'", as: Int64.self) }
            #expect(never == nil)
        }
    }

    @Test("the step ledger: once per step and direction, a refusal remembered, nothing to undo before the forward call", arguments: TestSQLDriver.allCases)
    func stepLedger(driver: TestSQLDriver) async throws {
        try await driver.withDatabase(migrations: KitFixture.portable) { database in
            let steps = StepLedger(database: database, clock: Self.clock)
            let forward = SagaContext(sagaID: "sg_1", step: "reserve", direction: .forward)
            for _ in 0..<3 {
                let result = try await steps.run(forward, method: "Add") { db in try KitFixture.add(10, to: "a", in: db) }
                #expect(result.amountMinor == 10)
            }
            let undo = try await steps.run(
                SagaContext(sagaID: "sg_2", step: "reserve", direction: .compensate), method: "Release",
                nothingToUndo: { Aftercare_Common_V1_Money(0, "NONE") }
            ) { db in try KitFixture.add(-10, to: "b", in: db) }
            #expect(undo.currency == "NONE")
            let refused = SagaContext(sagaID: "sg_3", step: "reserve", direction: .forward)
            for _ in 0..<2 {
                await #expect(throws: RPCError.self) {
                    _ = try await steps.run(refused, method: "Add") { _ -> Aftercare_Common_V1_Money in throw RPCError.failedPrecondition("no stock") }
                }
            }
            let report = try await steps.query(sagaID: "sg_3", step: "reserve")
            #expect(report.forward.outcome == .refused)
            let counters = try await database.snapshot { db in
                try db.query("SELECT name, value FROM counters ORDER BY name", []).map { "\(try $0.decode("name", as: String.self))=\(try $0.decode("value", as: Int64.self))" }
            }
            #expect(counters == ["a=10"])
        }
    }

    @Test("on PostgreSQL, two calls of one saga step at once: the write runs once, both answered alike")
    func stepLedgerRace() async throws {
        try await TestSQLDriver.postgres.withDatabase(migrations: KitFixture.portable) { database in
            let steps = StepLedger(database: database, clock: Self.clock)
            let forward = SagaContext(sagaID: "sg_race", step: "reserve", direction: .forward)
            let results = try await withThrowingTaskGroup(of: Int64.self) { group in
                for _ in 0..<6 {
                    group.addTask { try await steps.run(forward, method: "Add") { db in try KitFixture.add(10, to: "a", in: db) }.amountMinor }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results == Array(repeating: 10, count: 6))
            #expect(try await database.snapshot { db in try db.queryValue("SELECT value FROM counters WHERE name = 'a'", as: Int64.self) } == 10)
        }
    }

    @Test("on PostgreSQL, two calls with one idempotency key at once: the write runs once; another request under it is refused")
    func idempotencyRace() async throws {
        try await TestSQLDriver.postgres.withDatabase(migrations: KitFixture.portable) { database in
            let keys = IdempotencyLedger(database: database, clock: Self.clock)
            let request = Aftercare_Common_V1_Money(5, "CNY")
            let results = try await withThrowingTaskGroup(of: Int64.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        try await keys.run(method: "Add", key: "k-1", request: request) { db in try KitFixture.add(5, to: "a", in: db) }.amountMinor
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results == Array(repeating: 5, count: 6))
            #expect(try await database.snapshot { db in try db.queryValue("SELECT value FROM counters WHERE name = 'a'", as: Int64.self) } == 5)
            let error = await #expect(throws: RPCError.self) {
                _ = try await keys.run(method: "Add", key: "k-1", request: Aftercare_Common_V1_Money(6, "CNY")) { db in
                    try KitFixture.add(6, to: "a", in: db)
                }
            }
            #expect(error?.code == .invalidArgument)
        }
    }

    @Test("feed cursors start at 0, and an operator's reset sets each back or forward on its own", arguments: TestSQLDriver.allCases)
    func cursors(driver: TestSQLDriver) async throws {
        var migrations = KitFixture.portable
        FeedCursors.register(in: &migrations, as: "test-feed-cursors-v1")
        try await driver.withDatabase(migrations: migrations) { database in
            let cursors = FeedCursors(database: database)
            #expect(try await cursors.position("orders") == 0)
            try await cursors.reset("orders", to: 7, atMicros: 1)
            try await cursors.reset("payments", to: 2, atMicros: 1)
            #expect(try await cursors.position("orders") == 7)
            try await cursors.reset("orders", to: 3, atMicros: 2)
            #expect(try await cursors.position("orders") == 3)
            #expect(try await cursors.position("payments") == 2)
        }
    }

    @Test("spans are written in a batch, read back by trace, and pruned past the count bound", arguments: TestSQLDriver.allCases)
    func spans(driver: TestSQLDriver) async throws {
        try await driver.withDatabase(migrations: KitFixture.portable) { database in
            let store = SQLSpanStore(database: database, clock: Self.clock, maxCount: 3, logger: .test("spans"))
            let trace = TraceID.random()
            let start = Self.clock.nowMicros
            for index in 0..<3 {
                store.record(
                    SpanRecord(
                        traceID: trace, spanID: UInt64(index + 1), service: "aftercare-test", method: "test.v1.T/M", caller: "name:gateway",
                        saga: nil, startUnixMicros: start + Int64(index), durationMicros: 5, status: .ok, statusMessage: "", outcome: .executed))
            }
            await store.flush()
            #expect(try await store.spans(traceID: trace, limit: 10).map(\.spanID) == [1, 2, 3])
            try await database.transaction { db in
                try db.execute("INSERT INTO spans (trace_id, span_id, body, start_micros) VALUES ('other', '9', ?, ?)", [Data(), start + 100])
                try store.prune(db)
            }
            #expect(try await store.spans(traceID: trace, limit: 10).map(\.spanID) == [2, 3])
        }
    }
}

/// A count several tasks add to.
final class Tally: Sendable {
    private let count = Mutex(0)

    func add() { self.count.withLock { $0 += 1 } }

    var value: Int { self.count.withLock { $0 } }
}

/// How many times each writer's transaction body ran.
final class RunsPerWriter: Sendable {
    private let runs = Mutex<[Int: Int]>([:])

    /// Counts one run of `writer`'s body.
    func ran(_ writer: Int) { self.runs.withLock { $0[writer, default: 0] += 1 } }

    /// The most runs of any writer.
    var most: Int { self.runs.withLock { $0.values.max() ?? 0 } }
}
