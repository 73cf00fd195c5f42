import AftercareAftersalesAPI
import AftercareFeedback
import AftercareFeedbackAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import GRDB
import Logging
import SwiftProtobuf
import Synchronization
import Testing

/// Feedback's follower of aftersales' feed: each case event takes effect once, in the transaction
/// that moves feedback's cursor past it.
@Suite("Feedback follows aftersales' feed")
struct AftersalesCaseWriterTests {
    /// Aftersales' event `seq` of `type` about case `caseID` on `lines` of order `order`.
    static func event(_ seq: Int64, _ type: String, _ caseID: String, lines: [String] = ["line_1"], order: String = "ord_1") throws
        -> Aftercare_Common_V1_Event
    {
        var change = Aftercare_Aftersales_V1_CaseChanged()
        change.record.caseID = caseID
        change.record.orderID = order
        change.record.lines = lines.map { line in
            var caseLine = Aftercare_Aftersales_V1_CaseLine()
            caseLine.lineID = line
            caseLine.quantity = 1
            return caseLine
        }
        var event = try Aftercare_Common_V1_Event(type: type, payload: change)
        event.seq = seq
        event.eventID = "evt_aftersales_\(seq)"
        event.source = "aftersales"
        return event
    }

    /// Runs `source` through feedback's follower until its cursor reaches `seq`, then stops it.
    static func follow(_ harness: FeedbackHarness, _ source: any EventSource, until seq: Int64, writers extra: [any EventWriter] = []) async throws {
        let follower =
            extra.isEmpty
            ? AftersalesFeed.follower(
                source: source, database: harness.database, clock: harness.clock, feed: harness.feed, configuration: Self.quick,
                logger: Logger.test("feedback.follower"))
            : FeedFollower(
                source: source, cursors: FeedCursors(database: harness.database), handlers: [],
                writers: [AftersalesCaseWriter(clock: harness.clock, feed: harness.feed, logger: Logger.test("feedback.writer"))] + extra,
                clock: harness.clock, configuration: Self.quick, logger: Logger.test("feedback.follower"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await follower.run() }
            defer { group.cancelAll() }
            let cursors = FeedCursors(database: harness.database)
            let deadline = ContinuousClock.now + .seconds(10)
            while try await cursors.position(AftersalesFeed.source) < seq {
                guard ContinuousClock.now < deadline else { throw TestKitError("the follower did not reach \(seq)") }
                try await Task.sleep(for: .milliseconds(5))
            }
        }
    }

    static let quick = FeedFollower.Configuration(initialBackoff: .milliseconds(5), maximumBackoff: .milliseconds(20))

    @Test("opened pauses the line's review and closed resumes it, as RecordCaseOpened and RecordCaseClosed do; the cursor ends past both")
    func sameEffectAsTheCalls() async throws {
        try await FeedbackHarness.run { harness in
            let review = try await harness.deliver()
            let source = Pages([[try Self.event(1, AftersalesEventTypes.opened, "case_a")]])
            try await Self.follow(harness, source, until: 1)
            var line = try await harness.client.unary(FeedbackMethods.getReview, .with { $0.reviewID = review.reviewID })
            #expect(line.afterSalesInProgress)
            #expect(line.openCaseIds == ["case_a"])
            #expect(line.timerPausedAtUnixMicros > 0)

            try await Self.follow(harness, Pages([[try Self.event(2, AftersalesEventTypes.closed, "case_a")]]), until: 2)
            line = try await harness.client.unary(FeedbackMethods.getReview, .with { $0.reviewID = review.reviewID })
            #expect(!line.afterSalesInProgress)
            #expect(line.openCaseIds.isEmpty)
            #expect(line.timerPausedAtUnixMicros == 0)
            #expect(try await harness.feedTypes() == [FeedbackEventTypes.eligible, FeedbackEventTypes.caseOpened, FeedbackEventTypes.caseClosed])
            #expect(try await FeedCursors(database: harness.database).position(AftersalesFeed.source) == 2)
        }
    }

    @Test("the same events applied again — twice in a page, then the whole feed from the start — change nothing the second time")
    func twiceChangesNothing() async throws {
        try await FeedbackHarness.run { harness in
            _ = try await harness.deliver(line: "line_1")
            _ = try await harness.deliver(line: "line_2", delivery: "shp_1")
            let opened = try Self.event(1, AftersalesEventTypes.opened, "case_a", lines: ["line_1", "line_2"])
            let other = try Self.event(2, AftersalesEventTypes.opened, "case_b", lines: ["line_2"])
            let closed = try Self.event(3, AftersalesEventTypes.closed, "case_a", lines: ["line_1", "line_2"])
            try await Self.follow(harness, Pages([[opened, opened], [other, other, closed, closed]]), until: 3)
            // Everything but the cursor's row (whose update time a reset and the replay move).
            let once = try await harness.dump().filter { !$0.hasPrefix("feed_cursors:") }
            #expect(try await harness.feedTypes().filter { $0.hasPrefix("feedback.case.") } == [
                FeedbackEventTypes.caseOpened, FeedbackEventTypes.caseOpened, FeedbackEventTypes.caseOpened, FeedbackEventTypes.caseClosed,
                FeedbackEventTypes.caseClosed,
            ])

            // A cursor reset replays the feed: every event again, the cursor back where it was.
            try await FeedCursors(database: harness.database).reset(AftersalesFeed.source, to: 0, atMicros: harness.clock.nowMicros)
            let replay = Pages([[opened, other, closed]])
            try await Self.follow(harness, replay, until: 3)
            #expect(replay.deliveries == 1)
            #expect(try await harness.dump().filter { !$0.hasPrefix("feed_cursors:") } == once)
            #expect(try await FeedCursors(database: harness.database).position(AftersalesFeed.source) == 3)
        }
    }

    @Test("a page whose transaction fails applies nothing and leaves the cursor; delivered again, it applies once with the cursor")
    func cursorAndEffectCommitTogether() async throws {
        try await FeedbackHarness.run { harness in
            let review = try await harness.deliver()
            let before = try await harness.dump()
            let failing = FailsFirstPage()
            let source = Pages([[try Self.event(1, AftersalesEventTypes.opened, "case_a")]], untilStopped: true)
            try await Self.follow(harness, source, until: 1, writers: [failing])
            // The first delivery's transaction rolled back whole: its case and its event went with it.
            #expect(failing.pagesSeen == 2)
            #expect(source.deliveries == 2)
            #expect(try await harness.feedTypes() == [FeedbackEventTypes.eligible, FeedbackEventTypes.caseOpened])
            let line = try await harness.client.unary(FeedbackMethods.getReview, .with { $0.reviewID = review.reviewID })
            #expect(line.openCaseIds == ["case_a"])
            let after = try await harness.dump()
            #expect(after.count(where: { $0.hasPrefix("feedback_line_cases:") }) == 1)
            #expect(after.count(where: { $0.hasPrefix("feed_cursors:") }) == 1)
            #expect(before.count(where: { $0.hasPrefix("feed_cursors:") }) == 0)
        }
    }

    @Test("a case closed that was never seen opened, or opened on another order, is passed over without stopping the feed")
    func passedOver() async throws {
        try await FeedbackHarness.run { harness in
            _ = try await harness.deliver()
            let pages = Pages([
                [
                    try Self.event(1, AftersalesEventTypes.closed, "case_never_opened"), try Self.event(2, AftersalesEventTypes.opened, "case_a"),
                    try Self.event(3, AftersalesEventTypes.opened, "case_a", order: "ord_other"),
                ]
            ])
            try await Self.follow(harness, pages, until: 3)
            #expect(try await harness.feedTypes() == [FeedbackEventTypes.eligible, FeedbackEventTypes.caseOpened])
        }
    }
}

/// A feed that delivers its pages on each connection whatever the cursor (the worst an
/// at-least-once source may do), then holds the connection open until the follower stops; with
/// `untilStopped` false it delivers them on the first connection only.
final class Pages: EventSource {
    let name = AftersalesFeed.source
    private let pages: [[Aftercare_Common_V1_Event]]
    private let untilStopped: Bool
    private let count = Mutex(0)

    init(_ pages: [[Aftercare_Common_V1_Event]], untilStopped: Bool = false) {
        self.pages = pages
        self.untilStopped = untilStopped
    }

    /// How many connections were delivered the pages.
    var deliveries: Int { self.count.withLock { $0 } }

    func follow(after seq: Int64, _ deliver: @escaping @Sendable ([Aftercare_Common_V1_Event]) async throws -> Void) async throws {
        let first = self.count.withLock { count in
            count += 1
            return count == 1
        }
        if first || self.untilStopped {
            for page in self.pages { try await deliver(page) }
        }
        try await Task.sleep(for: .seconds(3_600))
    }
}

/// A writer that fails the first page it is given, after the others wrote theirs in the page's
/// transaction.
final class FailsFirstPage: EventWriter {
    private let seen = Mutex(0)

    var pagesSeen: Int { self.seen.withLock { $0 } }

    func write(_ events: [Aftercare_Common_V1_Event], atMicros now: Int64, in db: any SQLConnection) throws {
        let first = self.seen.withLock { seen in
            seen += 1
            return seen == 1
        }
        if first { throw TestKitError("the first page's transaction fails") }
    }
}
