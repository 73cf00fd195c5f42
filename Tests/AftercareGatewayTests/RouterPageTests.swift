import AftercareGateway
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Foundation
import GRDB
import Logging
import SwiftProtobuf
import Synchronization
import Testing

@Suite("Feed follower: a page of events, one transaction")
struct RouterPageTests {
    @Test("a page of seven events is written in one commit: every inbox item, the subject index and the cursor")
    func onePageOneCommit() async throws {
        let world = try await PageWorld.make(events: 7)
        let seen = Seen()
        try await world.follow(handlers: [seen], writers: [world.inboxes, SubjectIndex(database: world.gateway)])
        #expect(world.commits.count == 1)
        #expect(seen.seqs == Array(1...7))
        #expect(try await world.buyerSeqs() == [[2, 4, 6], [1, 3, 5, 7]])
        #expect(try await SubjectIndex(database: world.gateway).ids(.order) == ["ord_1"])
    }

    @Test("a page whose transaction fails before its commit is delivered again whole, and its events reach the inboxes once")
    func failedPageComesAgainWhole() async throws {
        let world = try await PageWorld.make(events: 7)
        let seen = Seen()
        try await world.follow(handlers: [seen], writers: [world.inboxes, FailsFirstPage()])
        // The first page's inbox writes rolled back with it; the second delivery wrote them.
        #expect(world.commits.count == 1)
        #expect(seen.seqs == Array(1...7) + Array(1...7))
        #expect(try await world.buyerSeqs() == [[2, 4, 6], [1, 3, 5, 7]])
        #expect(try await world.buyerPositions() == [[1, 2, 3], [1, 2, 3, 4]])
    }

    @Test("a handler failing in the middle of a page: the events before it are written, the rest come again from there")
    func handlerFailsMidPage() async throws {
        let world = try await PageWorld.make(events: 7)
        let seen = Seen()
        try await world.follow(handlers: [seen, FailsOnceAt(seq: 4)], writers: [world.inboxes])
        #expect(world.commits.count == 2)
        #expect(seen.seqs == Array(1...4) + Array(4...7))
        #expect(try await world.buyerSeqs() == [[2, 4, 6], [1, 3, 5, 7]])
    }
}

/// A source feed of `orders.order.paid` events for two buyers in memory, a gateway database that
/// counts its commits, and a follower over a source that delivers all that is there as one page.
struct PageWorld: Sendable {
    let feed: EventFeed
    let gateway: ServiceDatabase
    let inboxes: Inboxes
    let cursors: FeedCursors
    let clock: ServiceClock
    let commits: CommitCounter

    static func make(events: Int) async throws -> PageWorld {
        let clock = ServiceClock(testMode: true, fixedStart: Date(timeIntervalSince1970: 1_767_225_600))
        let source = try ServiceDatabase.inMemory(migrations: .none)
        let feed = EventFeed(source: "orders", database: source, clock: clock)
        for index in 1...events {
            try await source.write { db in
                var event = try Aftercare_Common_V1_Event(type: "orders.order.paid", payload: Google_Protobuf_Empty(), buyerID: "b_\(index % 2)")
                event.subjects.orderID = "ord_1"
                try feed.append(event, context: nil, in: db)
            }
        }
        let gateway = try ServiceDatabase.inMemory(migrations: .gateway)
        let commits = try await CommitCounter.counting(gateway)
        return PageWorld(
            feed: feed, gateway: gateway, inboxes: Inboxes(database: gateway, clock: clock), cursors: FeedCursors(database: gateway),
            clock: clock, commits: commits)
    }

    /// Runs a follower until its cursor reaches the feed's head.
    func follow(handlers: [any EventHandler], writers: [any EventWriter]) async throws {
        let follower = FeedFollower(
            source: WholeFeed(feed: self.feed), cursors: self.cursors, handlers: handlers, writers: writers, clock: self.clock,
            configuration: .init(initialBackoff: .milliseconds(1), maximumBackoff: .milliseconds(5)), logger: Logger.test("router"))
        let head = try await self.feed.head()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await follower.run() }
            defer { group.cancelAll() }
            let deadline = ContinuousClock.now.advanced(by: .seconds(30))
            while try await self.cursors.position("orders") < head {
                guard ContinuousClock.now < deadline else { throw HarnessError("the follower did not reach the feed's head") }
                try await Task.sleep(for: .milliseconds(5))
            }
        }
    }

    func buyerSeqs() async throws -> [[Int64]] {
        [try await self.inboxes.list(.buyer("b_0")).items.map(\.sourceSeq), try await self.inboxes.list(.buyer("b_1")).items.map(\.sourceSeq)]
    }

    func buyerPositions() async throws -> [[Int64]] {
        [try await self.inboxes.list(.buyer("b_0")).items.map(\.position), try await self.inboxes.list(.buyer("b_1")).items.map(\.position)]
    }
}

/// A source that delivers every event after the cursor as one page, then waits to be cancelled.
struct WholeFeed: EventSource {
    let feed: EventFeed
    var name: String { "orders" }

    func follow(after seq: Int64, _ deliver: @escaping @Sendable ([Aftercare_Common_V1_Event]) async throws -> Void) async throws {
        let page = try await self.feed.read(afterSeq: seq, limit: 1_000)
        if !page.isEmpty { try await deliver(page) }
        try await Task.sleep(for: .seconds(3_600))
    }
}

/// A handler that notes the sequence number of every event it is handed.
final class Seen: EventHandler {
    private let all = Mutex<[Int64]>([])
    var seqs: [Int64] { self.all.withLock { $0 } }

    func handle(_ event: Aftercare_Common_V1_Event) async throws {
        self.all.withLock { $0.append(event.seq) }
    }
}

/// A handler that fails the first time it sees the event numbered `seq`.
final class FailsOnceAt: EventHandler {
    let seq: Int64
    private let failed = Mutex(false)

    init(seq: Int64) {
        self.seq = seq
    }

    func handle(_ event: Aftercare_Common_V1_Event) async throws {
        guard event.seq == self.seq, self.failed.withLock({ failed in defer { failed = true }; return !failed }) else { return }
        throw HarnessError("event \(event.seq) refused once")
    }
}

/// A writer that fails the first page it is handed, after the writers before it wrote theirs.
final class FailsFirstPage: EventWriter {
    private let failed = Mutex(false)

    func write(_ events: [Aftercare_Common_V1_Event], atMicros now: Int64, in db: any SQLConnection) throws {
        guard self.failed.withLock({ failed in defer { failed = true }; return !failed }) else { return }
        throw HarnessError("the page of \(events.count) events refused once")
    }
}
