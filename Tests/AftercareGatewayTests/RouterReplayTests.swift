import AftercareGateway
import AftercareRPC
import AftercareServiceKit
import Synchronization
import Testing

@Suite("Event router: replays and restarts")
struct RouterReplayTests {
    @Test("every feed event delivered twice, then every feed replayed from the start, changes nothing")
    func everyEventTwice() async throws {
        try await RouterHarness.run { harness in
            let inboxes = harness.inboxes()
            let cases = try await harness.withRouter(inboxes: inboxes, wrap: { Twice(source: $0) }) {
                let cases = try await RouterScenario(harness: harness).runAll()
                try await harness.caughtUp()
                return cases
            }
            try await RouterExpectations.checkInboxes(harness, inboxes, cases)
            try await RouterExpectations.checkSagaStarts(harness, cases, times: 2)
            try await RouterExpectations.checkFeedback(harness, cases)

            let gateway = try await harness.gatewayDump()
            let feedback = try await harness.databases["feedback"]!.dump()
            for name in harness.feeds.keys {
                try await harness.cursors.reset(name, to: 0, atMicros: harness.clock.nowMicros)
            }
            try await harness.withRouter(inboxes: inboxes) {
                try await harness.caughtUp()
            }
            #expect(try await harness.gatewayDump() == gateway)
            #expect(try await harness.databases["feedback"]!.dump() == feedback)
            try await RouterExpectations.checkSagaStarts(harness, cases, times: 3)
        }
    }

    @Test("a router restarted on the same database resumes at its cursors: nothing handled twice into an inbox, nothing lost")
    func restart() async throws {
        try await RouterHarness.run { harness in
            let scenario = RouterScenario(harness: harness)
            let (order, before) = try await harness.withRouter {
                let order = try await scenario.deliveredOrder()
                try await harness.caughtUp()
                return (order, try await harness.inboxes().list(.buyer(RouterScenario.buyer), limit: 1_000).items)
            }
            #expect(!before.isEmpty)
            let positions = try await harness.gatewayDump().filter { $0.hasPrefix("feed_cursors:") }
            // While the router is down, the cases go on.
            let cases = try await scenario.cases(on: order)
            #expect(try await harness.gatewayDump().filter { $0.hasPrefix("feed_cursors:") } == positions)

            // The new router fails each event once after the other handlers took it: the events
            // of its page before it are written, it is delivered again.
            let inboxes = harness.inboxes()
            try await harness.withRouter(inboxes: inboxes, handlers: harness.handlers + [FailsOnce()]) {
                try await harness.caughtUp()
            }
            let after = try await inboxes.list(.buyer(RouterScenario.buyer), limit: 1_000).items
            #expect(Array(after.prefix(before.count)) == before)
            try await RouterExpectations.checkInboxes(harness, inboxes, cases)
            try await RouterExpectations.checkSagaStarts(harness, cases, times: 2)
            try await RouterExpectations.checkFeedback(harness, cases)
        }
    }
}

/// A source that delivers every event twice in a row, in the same page.
struct Twice: EventSource {
    let source: any EventSource
    var name: String { self.source.name }

    func follow(after seq: Int64, _ deliver: @escaping @Sendable ([Aftercare_Common_V1_Event]) async throws -> Void) async throws {
        try await self.source.follow(after: seq) { page in
            try await deliver(page.flatMap { [$0, $0] })
        }
    }
}

/// A handler that fails the first time it sees each event.
final class FailsOnce: EventHandler {
    private let seen = Mutex<Set<String>>([])

    func handle(_ event: Aftercare_Common_V1_Event) async throws {
        guard self.seen.withLock({ $0.insert(event.eventID).inserted }) else { return }
        throw HarnessError("first delivery of \(event.eventID) refused")
    }
}
