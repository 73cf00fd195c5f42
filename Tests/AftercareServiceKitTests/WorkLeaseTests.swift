import AftercareServiceKit
import AftercareRPC
import AftercareTesting
import Foundation
import Logging
import Synchronization
import Testing

/// Work leases on both drivers: one holder at a time, taken over once the holder's lease ran out or
/// it let go, and a write under a lost lease refused; the feed follower and the periodic pass run
/// only while they hold theirs.
@Suite("Work leases")
struct WorkLeaseTests {
    static var migrations: SQLMigrations {
        var migrations = KitFixture.portable
        WorkLease.register(in: &migrations, as: "test-work-leases")
        FeedCursors.register(in: &migrations, as: "test-feed-cursors")
        return migrations
    }

    static func clock() -> ServiceClock { ServiceClock(testMode: true, fixedStart: Date(timeIntervalSince1970: 1_790_000_000)) }

    static func lease(
        _ owner: String, _ database: any SQLDatabase, _ clock: ServiceClock, name: String = "feed:test", duration: Duration = .milliseconds(300)
    ) -> WorkLease {
        WorkLease(name: name, owner: owner, duration: duration, database: database, clock: clock)
    }

    @Test("one holder at a time; its own again at once; another's once it ran out; a write under a lost lease refused; a release frees it", arguments: TestSQLDriver.allCases)
    func holders(driver: TestSQLDriver) async throws {
        try await driver.withDatabase(migrations: Self.migrations) { database in
            let clock = Self.clock()
            let (a, b) = (Self.lease("gateway-a", database, clock), Self.lease("gateway-b", database, clock))
            #expect(try await a.take())
            #expect(try await !b.take())
            #expect(try await a.take(), "a process restarted under its name takes its own lease back")
            #expect(try await a.renew())
            #expect(try await !b.renew())
            try await b.release()
            #expect(try await !b.take(), "a release by another leaves the holder's lease")

            // The holder stops renewing (it died): the lease runs out and the other takes it.
            try clock.advance(byMicros: 300_001)
            #expect(try await b.take())
            #expect(try await !a.take())
            #expect(try await !a.renew())
            // A's write under the lease it lost: refused, and nothing of its transaction kept.
            await #expect(throws: WorkLeaseLost.self) {
                try await database.transaction { db in
                    _ = try KitFixture.add(1, to: "written-by-a", in: db)
                    try a.confirm(in: db)
                }
            }
            let written = try await database.snapshot { db in
                try db.queryValue("SELECT value FROM counters WHERE name = 'written-by-a'", as: Int64.self)
            }
            #expect(written == nil)
            try await database.transaction { db in try b.confirm(in: db) }

            try await b.release()
            #expect(try await a.take(), "a released lease is free at once")
            // Leases of other work are their own.
            #expect(try await Self.lease("gateway-b", database, clock, name: "reconciliation").take())
        }
    }

    @Test("run: the work runs only while held; cancelled when the lease is taken away; the other runs it once the holder stops", arguments: TestSQLDriver.allCases)
    func run(driver: TestSQLDriver) async throws {
        try await driver.withDatabase(migrations: Self.migrations) { database in
            let clock = Self.clock()
            let log = Notes<String>()
            func runner(_ owner: String) -> Task<Void, Never> {
                Task {
                    await Self.lease(owner, database, clock).run(logger: Logger.test("lease.\(owner)")) {
                        log.append("\(owner) started")
                        do {
                            try await Task.sleep(for: .seconds(3_600))
                        } catch {
                            log.append("\(owner) cancelled")
                        }
                    }
                }
            }
            let a = runner("gateway-a")
            try await Self.until { log.all == ["gateway-a started"] }
            let b = runner("gateway-b")
            // B tries every ~100 ms and is refused while A holds and renews.
            try await Task.sleep(for: .milliseconds(700))
            #expect(log.all == ["gateway-a started"])

            // Another process took the lease over (as if A's renewals had lapsed): A's work is cancelled.
            try await database.transaction { db in _ = try db.execute("UPDATE work_leases SET owner = 'intruder' WHERE name = 'feed:test'") }
            try await Self.until { log.all.contains("gateway-a cancelled") }
            #expect(!log.all.contains("gateway-b started"))

            // The intruder lets go: one of A and B takes the work; when that one stops, the other does.
            try await Self.lease("intruder", database, clock).release()
            try await Self.until { log.all.filter { $0.hasSuffix("started") }.count == 2 }
            let second = log.all.last!
            let (holder, other) = second == "gateway-a started" ? (a, b) : (b, a)
            holder.cancel()
            await holder.value
            try await Self.until { log.all.filter { $0.hasSuffix("started") }.count == 3 }
            let starts = log.all.filter { $0.hasSuffix("started") }
            #expect(starts[2] != starts[1], "\(starts)")
            other.cancel()
            await other.value
        }
    }

    @Test("two feed followers under one lease: the holder follows; after it stops the other resumes from the cursor, every event handled once; a page of a follower that lost its lease is not written", arguments: TestSQLDriver.allCases)
    func followers(driver: TestSQLDriver) async throws {
        try await driver.withDatabase(migrations: Self.migrations) { database in
            let clock = Self.clock()
            let feed = EventFeed(source: "test", database: database, clock: clock, pollInterval: .milliseconds(20))
            let cursors = FeedCursors(database: database)
            let handled = Notes<(String, Int64)>()
            func follower(_ owner: String) -> Task<Void, any Error> {
                let follower = FeedFollower(
                    source: FeedSource(feed: feed), cursors: cursors, handlers: [Recorder(owner: owner, handled: handled)], writers: [], clock: clock,
                    configuration: .init(initialBackoff: .milliseconds(5), maximumBackoff: .milliseconds(20)), logger: Logger.test("follower.\(owner)"),
                    // Renewed every second: the page written after the lease was taken away meets
                    // the lost lease in its own transaction before a renewal does.
                    lease: Self.lease(owner, database, clock, duration: .seconds(3)))
                return Task { try await follower.run() }
            }
            func append(_ count: Int) async throws {
                for _ in 0..<count {
                    _ = try await database.transaction { db in try feed.append(KitDriversTests.event("t.made"), context: nil, in: db) }
                }
            }
            try await append(5)
            let a = follower("gateway-a")
            try await Self.until { try await cursors.position("test") == 5 }
            let b = follower("gateway-b")
            try await append(5)
            try await Self.until { try await cursors.position("test") == 10 }
            #expect(handled.all.allSatisfy { $0.0 == "gateway-a" }, "\(handled.all)")

            a.cancel()
            _ = await a.result
            try await append(5)
            try await Self.until { try await cursors.position("test") == 15 }
            let all = handled.all
            #expect(all.map(\.1) == Array(1...15), "each event once, in order: \(all)")
            #expect(all.filter { $0.1 > 10 }.allSatisfy { $0.0 == "gateway-b" })

            // Another process takes the lease from B: B's next page is refused in its own
            // transaction (the cursor stays), and whoever holds the lease next writes it.
            try await database.transaction { db in _ = try db.execute("UPDATE work_leases SET owner = 'intruder' WHERE name = 'feed:test'") }
            try await append(1)
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await cursors.position("test") == 15, "a follower that lost its lease wrote its page (handled: \(handled.all.map(\.1)))")
            try await Self.lease("intruder", database, clock).release()
            try await Self.until { try await cursors.position("test") == 16 }
            b.cancel()
            _ = await b.result
        }
    }

    @Test("two periodic passes under one lease: only the holder's run; the other's start once the holder stops", arguments: TestSQLDriver.allCases)
    func passes(driver: TestSQLDriver) async throws {
        try await driver.withDatabase(migrations: Self.migrations) { database in
            let clock = Self.clock()
            let passes = Notes<String>()
            func pass(_ owner: String) -> Task<Void, any Error> {
                let pass = PeriodicPass(
                    name: "test pass", interval: .milliseconds(20), lease: Self.lease(owner, database, clock, name: "test pass"),
                    logger: Logger.test("pass.\(owner)")
                ) { passes.append(owner) }
                return Task { try await pass.run() }
            }
            let a = pass("gateway-a")
            try await Self.until { passes.all.filter { $0 == "gateway-a" }.count >= 3 }
            let b = pass("gateway-b")
            try await Task.sleep(for: .milliseconds(500))
            #expect(!passes.all.contains("gateway-b"))
            a.cancel()
            _ = await a.result
            try await Self.until { passes.all.filter { $0 == "gateway-b" }.count >= 3 }
            b.cancel()
            _ = await b.result
        }
    }

    /// Waits until `condition` holds, for at most 20 s.
    static func until(_ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw TestKitError("a condition did not come to hold within 20 s") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// An in-process feed as a follower's source, a page per event.
private struct FeedSource: EventSource {
    let feed: EventFeed
    var name: String { "test" }

    func follow(after seq: Int64, _ deliver: @escaping @Sendable ([Aftercare_Common_V1_Event]) async throws -> Void) async throws {
        try await self.feed.follow(afterSeq: seq) { event in try await deliver([event]) }
    }
}

/// Records which follower handled each event.
private struct Recorder: EventHandler {
    let owner: String
    let handled: Notes<(String, Int64)>

    func handle(_ event: Aftercare_Common_V1_Event) async throws {
        self.handled.append((self.owner, event.seq))
    }
}

/// What the test's concurrent parts noted, in order.
private final class Notes<Note: Sendable>: Sendable {
    private let notes = Mutex<[Note]>([])

    func append(_ note: Note) { self.notes.withLock { $0.append(note) } }

    var all: [Note] { self.notes.withLock { $0 } }
}
