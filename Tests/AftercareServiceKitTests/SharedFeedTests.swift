import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Synchronization
import Testing

/// A feed two processes append to (instances sharing one database): a follower of either sees
/// the events the other wrote, within its poll interval.
@Suite("Event feed: several writers")
struct SharedFeedTests {
    @Test("a follower through one database sees the events appended through another on the same file, in order")
    func followerSeesTheOtherWriter() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.appending("feed.sqlite")
        let clock = ServiceClock()
        let here = try ServiceDatabase.open(path: path, migrations: KitFixture.migrations)
        let there = try ServiceDatabase.open(path: path, migrations: KitFixture.migrations)
        let following = EventFeed(source: "test", database: here, clock: clock, pollInterval: .milliseconds(50))
        let writing = EventFeed(source: "test", database: there, clock: clock, pollInterval: .milliseconds(50))
        let received = EventFeedTests.Received()
        let follower = Task {
            try await following.follow(afterSeq: 0) { event in received.seqs.withLock { $0.append(event.seq) } }
        }
        defer { follower.cancel() }
        try await Task.sleep(for: .milliseconds(100))
        for type in ["one", "two", "three"] {
            try await there.write { db in try writing.append(try EventFeedTests.event(type), context: nil, in: db) }
        }
        try await EventFeedTests.waitUntil { received.seqs.withLock { $0 } == [1, 2, 3] }
        // And its own writes still wake it at once.
        try await here.write { db in try following.append(try EventFeedTests.event("four"), context: nil, in: db) }
        try await EventFeedTests.waitUntil { received.seqs.withLock { $0 } == [1, 2, 3, 4] }
    }
}
