import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import AftercareWire
import GRDB
import Synchronization
import Testing

@Suite("Event feed")
struct EventFeedTests {
    static func event(_ type: String, order: String = "ord_1") throws -> Aftercare_Common_V1_Event {
        var subjects = Aftercare_Common_V1_EventSubjects()
        subjects.orderID = order
        return try Aftercare_Common_V1_Event(type: type, payload: Aftercare_Common_V1_Money(1, "CNY"), subjects: subjects, buyerID: "b1")
    }

    @Test("events commit with the change, numbered without gaps; a rolled-back change leaves none")
    func transactional() async throws {
        let kit = try KitFixture()
        struct Refused: Error {}
        let context = KitFixture.context()
        try await kit.database.write { db in
            _ = try KitFixture.add(1, to: "a", in: db)
            try kit.feed.append(try Self.event("test.counter.added"), context: context, in: db)
        }
        await #expect(throws: Refused.self) {
            try await kit.database.write { db in
                _ = try KitFixture.add(1, to: "a", in: db)
                try kit.feed.append(try Self.event("test.counter.added"), context: nil, in: db)
                throw Refused()
            }
        }
        try await kit.database.write { db in
            try kit.feed.append(try Self.event("test.counter.reset"), context: nil, in: db)
        }
        let events = try await kit.feed.read(afterSeq: 0, limit: 10)
        #expect(events.map(\.seq) == [1, 2])
        #expect(events.map(\.type) == ["test.counter.added", "test.counter.reset"])
        #expect(events[0].source == "test")
        #expect(events[0].eventID.hasPrefix("evt_"))
        #expect(events[0].occurredAtUnixMicros == kit.clock.nowMicros)
        // The call's trace and span: what the event causes is the call's child.
        #expect(events[0].traceID == "\(context.traceID)")
        #expect(events[0].spanID == hex16(context.spanID))
        #expect(events[0].causedCallParent == TraceParent(traceID: context.traceID, parentID: context.spanID))
        #expect(events[1].traceID.isEmpty && events[1].spanID.isEmpty && events[1].causedCallParent == nil)
        #expect(events[0].payload(as: Aftercare_Common_V1_Money.self)?.amountMinor == 1)
        #expect(try await kit.counter("a") == 1)
    }

    @Test("reads from a cursor, by type")
    func cursor() async throws {
        let kit = try KitFixture()
        for index in 0..<5 {
            try await kit.database.write { db in
                try kit.feed.append(try Self.event(index.isMultiple(of: 2) ? "even" : "odd"), context: nil, in: db)
            }
        }
        #expect(try await kit.feed.read(afterSeq: 2, limit: 2).map(\.seq) == [3, 4])
        #expect(try await kit.feed.read(afterSeq: 0, limit: 10, types: ["odd"]).map(\.seq) == [2, 4])
        #expect(try await kit.feed.head() == 5)
    }

    @Test("followers get past events, then each new one as it commits")
    func follow() async throws {
        let kit = try KitFixture()
        try await kit.database.write { db in try kit.feed.append(try Self.event("first"), context: nil, in: db) }
        let received = Received()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await kit.feed.follow(afterSeq: 0) { event in
                    let count = received.seqs.withLock { $0.append(event.seq); return $0.count }
                    if count == 3 { throw CancellationError() }
                }
            }
            try await Self.waitUntil { received.seqs.withLock { $0.count } == 1 }
            for _ in 0..<2 {
                try await kit.database.write { db in try kit.feed.append(try Self.event("later"), context: nil, in: db) }
            }
            await #expect(throws: CancellationError.self) { try await group.next() }
        }
        #expect(received.seqs.withLock { $0 } == [1, 2, 3])
    }

    @Test("Feed methods over the protocol: a page, a bad limit named, a live follow")
    func feedService() async throws {
        let kit = try KitFixture()
        for _ in 0..<3 {
            try await kit.database.write { db in try kit.feed.append(try Self.event("test.thing.made"), context: nil, in: db) }
        }
        try await TestSystem.run(on: .inProcess, services: [FeedService(feed: kit.feed)], configuration: .init(name: "aftercare-test")) { system in
            var request = Aftercare_Common_V1_ReadEventsRequest()
            request.afterSeq = 1
            let page = try await system.client.unary(FeedMethods.readEvents, request)
            #expect(page.events.map(\.seq) == [2, 3])
            #expect(page.nextAfterSeq == 3)
            #expect(page.headSeq == 3)

            request.limit = 5_000
            let error = await #expect(throws: RPCError.self) { _ = try await system.client.unary(FeedMethods.readEvents, request) }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.hasPrefix("limit:") == true)

            var follow = Aftercare_Common_V1_FollowEventsRequest()
            follow.afterSeq = 2
            let seqs = try await system.client.serverStreaming(FeedMethods.followEvents, follow) { stream in
                var seqs: [Int64] = []
                for try await event in stream {
                    seqs.append(event.seq)
                    if seqs.count == 1 {
                        try await kit.database.write { db in try kit.feed.append(try Self.event("test.thing.made"), context: nil, in: db) }
                    }
                    if seqs.count == 2 { break }
                }
                return seqs
            }
            #expect(seqs == [3, 4])
        }
    }

    @Test("a follower that names types gets those alone, in feed order, then each new one of them as it commits")
    func followSomeTypes() async throws {
        let kit = try KitFixture()
        for type in ["test.a", "test.b", "test.c", "test.b"] {
            try await kit.database.write { db in try kit.feed.append(try Self.event(type), context: nil, in: db) }
        }
        try await TestSystem.run(on: .inProcess, services: [FeedService(feed: kit.feed)], configuration: .init(name: "aftercare-test")) { system in
            let source = RPCEventSource(name: "test", client: system.client, types: ["test.a", "test.c"])
            let received = Received()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await source.follow(after: 0) { page in received.events.withLock { $0 += page.map { "\($0.seq) \($0.type)" } } }
                }
                defer { group.cancelAll() }
                try await Self.waitUntil { received.events.withLock { $0.count } == 2 }
                for type in ["test.b", "test.c"] {
                    try await kit.database.write { db in try kit.feed.append(try Self.event(type), context: nil, in: db) }
                }
                try await Self.waitUntil { received.events.withLock { $0.count } == 3 }
            }
            #expect(received.events.withLock { $0 } == ["1 test.a", "3 test.c", "6 test.c"])
        }
    }

    @Test("the feed continues after the database is reopened")
    func reopen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.appending("feed.sqlite")
        let clock = ServiceClock()
        do {
            let database = try ServiceDatabase.open(path: path, migrations: KitFixture.migrations)
            let feed = EventFeed(source: "test", database: database, clock: clock)
            try await database.write { db in try feed.append(try Self.event("one"), context: nil, in: db) }
        }
        let database = try ServiceDatabase.open(path: path, migrations: KitFixture.migrations)
        let feed = EventFeed(source: "test", database: database, clock: clock)
        try await database.write { db in try feed.append(try Self.event("two"), context: nil, in: db) }
        #expect(try await feed.read(afterSeq: 0, limit: 10).map(\.type) == ["one", "two"])
        #expect(try await feed.read(afterSeq: 1, limit: 10).map(\.seq) == [2])
    }

    /// What a follower received: sequence numbers, or "<seq> <type>" lines.
    final class Received: Sendable {
        let seqs = Mutex<[Int64]>([])
        let events = Mutex<[String]>([])
    }

    static func waitUntil(_ condition: @Sendable () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw TestKitError("condition not met within 10 s") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
