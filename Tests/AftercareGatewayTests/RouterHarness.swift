import AftercareAftersales
import AftercareAftersalesAPI
import AftercareFeedback
import AftercareFeedbackAPI
import AftercareGateway
import AftercareLogistics
import AftercareLogisticsAPI
import AftercareOrders
import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Foundation
import GRDB
import Logging
import Synchronization

/// Orders, logistics, aftersales and feedback in process on in-memory databases (one test clock),
/// and the gateway's own database with the router's and the inboxes' tables.
struct RouterHarness: Sendable {
    static let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

    let clock: ServiceClock
    let feeds: [String: EventFeed]
    let databases: [String: ServiceDatabase]
    let clients: [String: RPCClient]
    let gateway: ServiceDatabase
    let cursors: FeedCursors
    let sagas: SagaStarts

    /// Runs `body` against fresh services and a fresh gateway database.
    static func run<Result: Sendable>(_ body: @Sendable (RouterHarness) async throws -> Result) async throws -> Result {
        let clock = ServiceClock(testMode: true, fixedStart: Self.start)
        let parts = try [
            ("orders", OrdersMigrations.all), ("logistics", .logistics), ("aftersales", .aftersales), ("feedback", .feedback),
        ].map { name, migrations in
            let database = try ServiceDatabase.inMemory(migrations: migrations)
            return (name, database, EventFeed(source: name, database: database, clock: clock), MutationLedger(database: database, clock: clock))
        }
        @Sendable func services(_ index: Int) -> [any RPCService] {
            let (name, database, feed, ledger) = parts[index]
            let domain: any RPCService =
                switch name {
                case "orders": OrdersService(database: database, clock: clock, feed: feed, ledger: ledger)
                case "logistics": LogisticsService(database: database, clock: clock, feed: feed, ledger: ledger)
                case "aftersales": AftersalesService(database: database, clock: clock, feed: feed, ledger: ledger, policy: .builtIn)
                default: FeedbackService(database: database, clock: clock, feed: feed, ledger: ledger)
                }
            return [domain, FeedService(feed: feed), StepService(ledger: ledger.steps)]
        }
        @Sendable func serve(_ index: Int, _ clients: [String: RPCClient]) async throws -> Result {
            guard index < parts.count else {
                let gateway = try ServiceDatabase.inMemory(migrations: .eventRouter)
                let harness = RouterHarness(
                    clock: clock, feeds: Dictionary(uniqueKeysWithValues: parts.map { ($0.0, $0.2) }),
                    databases: Dictionary(uniqueKeysWithValues: parts.map { ($0.0, $0.1) }), clients: clients, gateway: gateway,
                    cursors: FeedCursors(database: gateway), sagas: SagaStarts())
                return try await body(harness)
            }
            let name = parts[index].0
            return try await TestSystem.run(
                on: .inProcess, services: services(index), configuration: .init(name: "aftercare-\(name)"), serverName: name
            ) { system in
                try await serve(index + 1, clients.merging([name: system.client]) { $1 })
            }
        }
        return try await serve(0, [:])
    }

    /// The handlers the gateway wires: saga triggers (recorded), the feedback relay (deliveries).
    var handlers: [any EventHandler] {
        [self.sagas.triggers, FeedbackRelay(orders: self.clients["orders"]!, feedback: self.clients["feedback"]!)]
    }

    /// Runs a follower per service with `handlers` (default: ``handlers``) and `inboxes` as its
    /// writer (default: a new `Inboxes` on the gateway database), and feedback's own follower of
    /// aftersales' feed (the cases on order lines), each source passed through `wrap`, while
    /// `body` runs; then stops them.
    func withRouter<Result: Sendable>(
        inboxes: Inboxes? = nil, handlers: [any EventHandler]? = nil, wrap: @escaping @Sendable (any EventSource) -> any EventSource = { $0 },
        _ body: @Sendable () async throws -> Result
    ) async throws -> Result {
        let handlers = handlers ?? self.handlers
        let writers: [any EventWriter] = [inboxes ?? self.inboxes()]
        let configuration = FeedFollower.Configuration(initialBackoff: .milliseconds(5), maximumBackoff: .milliseconds(50))
        let followers = self.clients.keys.sorted().map { name in
            FeedFollower(
                source: wrap(RPCEventSource(name: name, client: self.clients[name]!)), cursors: self.cursors, handlers: handlers, writers: writers,
                clock: self.clock, configuration: configuration, logger: Logger.test("router"))
        } + [
            AftersalesFeed.follower(
                source: wrap(RPCEventSource(name: AftersalesFeed.source, client: self.clients["aftersales"]!, types: AftersalesFeed.types)),
                database: self.databases["feedback"]!,
                clock: self.clock, feed: self.feeds["feedback"]!, configuration: configuration, logger: Logger.test("feedback"))
        ]
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for follower in followers {
                group.addTask { try await follower.run() }
            }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    func inboxes() -> Inboxes {
        Inboxes(database: self.gateway, clock: self.clock)
    }

    /// Waits (up to 30 s) until every cursor is at its feed's head, and feedback's of aftersales'
    /// feed at the last event feedback asks for (``AftercareFeedback/AftersalesFeed/types``).
    func caughtUp() async throws {
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        let feedbackCursors = FeedCursors(database: self.databases["feedback"]!)
        while true {
            var behind: [String] = []
            for (name, feed) in self.feeds {
                let head = try await feed.head()
                if try await self.cursors.position(name) != head { behind.append(name) }
            }
            let feedbackHead = try await self.feeds["aftersales"]!.read(afterSeq: 0, limit: 10_000, types: AftersalesFeed.types).last?.seq ?? 0
            if try await feedbackCursors.position(AftersalesFeed.source) != feedbackHead {
                behind.append("feedback's cursor of aftersales")
            }
            if behind.isEmpty { return }
            guard ContinuousClock.now < deadline else { throw HarnessError("the router did not catch up with \(behind.sorted())") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Every event of every feed.
    func allEvents() async throws -> [Aftercare_Common_V1_Event] {
        var events: [Aftercare_Common_V1_Event] = []
        for name in self.feeds.keys.sorted() {
            events += try await self.feeds[name]!.read(afterSeq: 0, limit: 1_000)
        }
        return events
    }

    /// The gateway database's rows, as text.
    func gatewayDump() async throws -> [String] {
        try await self.gateway.dump()
    }
}

/// What the saga triggers asked to start: `case <saga>@<event id>`, `carrier <carrier event id>@<event id>`
/// and `order cancellation <order id>@<event id>`.
final class SagaStarts: Sendable {
    private let starts = Mutex<[String]>([])

    var triggers: SagaTriggers {
        SagaTriggers(
            startCaseSaga: { event, request in self.starts.withLock { $0.append("case \(request.saga)@\(event.eventID)") } },
            startCarrierProgress: { event, change in
                self.starts.withLock { $0.append("carrier \(change.entry.carrierEventID)@\(event.eventID)") }
            },
            startOrderCancellation: { event, order in self.starts.withLock { $0.append("order cancellation \(order.orderID)@\(event.eventID)") } })
    }

    var all: [String] { self.starts.withLock { $0 } }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
