import AftercareGateway
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Foundation
import Logging
import SwiftProtobuf
import Synchronization
import Testing

@Suite("Feed follower")
struct RouterFollowerTests {
    @Test("a source that goes down and drops its connections is resumed from the cursor: every event handled, each once into the inbox")
    func sourceRestarts() async throws {
        let clock = ServiceClock(testMode: true, fixedStart: Date(timeIntervalSince1970: 1_767_225_600))
        let source = try ServiceDatabase.inMemory(migrations: .none)
        let feed = EventFeed(source: "orders", database: source, clock: clock)
        for index in 1...7 {
            try await source.write { db in
                try feed.append(try Aftercare_Common_V1_Event(type: "orders.order.paid", payload: Google_Protobuf_Empty(), buyerID: "b_\(index % 2)"), context: nil, in: db)
            }
        }
        let gateway = try ServiceDatabase.inMemory(migrations: .eventRouter)
        let inboxes = Inboxes(database: gateway, clock: clock)
        let cursors = FeedCursors(database: gateway)
        let flaky = Flaky(feed: feed)
        let follower = FeedFollower(
            source: flaky, cursors: cursors, handlers: [], writers: [inboxes], clock: clock,
            configuration: .init(initialBackoff: .milliseconds(1), maximumBackoff: .milliseconds(5)), logger: Logger.test("router"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await follower.run() }
            defer { group.cancelAll() }
            let deadline = ContinuousClock.now.advanced(by: .seconds(30))
            while try await cursors.position("orders") < 7 {
                guard ContinuousClock.now < deadline else { throw HarnessError("the follower did not reach the feed's head") }
                try await Task.sleep(for: .milliseconds(5))
            }
        }
        #expect(flaky.attempts > 3)
        let buyers = [try await inboxes.list(.buyer("b_0")), try await inboxes.list(.buyer("b_1"))]
        #expect(buyers.map { $0.items.map(\.sourceSeq) } == [[2, 4, 6], [1, 3, 5, 7]])
    }
}

/// A source over a feed that refuses every other connection (UNAVAILABLE, as a restarting service
/// does) and drops each connection after two events.
final class Flaky: EventSource {
    let feed: EventFeed
    private let count = Mutex(0)
    var name: String { "orders" }
    var attempts: Int { self.count.withLock { $0 } }

    init(feed: EventFeed) {
        self.feed = feed
    }

    func follow(after seq: Int64, _ deliver: @escaping @Sendable ([Aftercare_Common_V1_Event]) async throws -> Void) async throws {
        let attempt = self.count.withLock { count in
            count += 1
            return count
        }
        guard attempt % 2 == 0 else { throw RPCError(.unavailable, "orders is restarting", outcome: .notExecuted) }
        let page = try await self.feed.read(afterSeq: seq, limit: 2)
        if !page.isEmpty { try await deliver(page) }
    }
}
