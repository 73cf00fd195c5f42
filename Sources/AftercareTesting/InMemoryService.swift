package import AftercareRPC
package import AftercareServiceKit
package import Foundation

/// What a service keeps below the network, for a test that runs the service in process: its database
/// in memory, a test-mode clock from a fixed start, its event feed and its ledgers. ``serve(_:_:)``
/// starts the service's handlers with the feed and step methods beside them, as its executable
/// does, and hands the test a client connected as the gateway.
package struct InMemoryService: Sendable {
    /// 2026-01-01T00:00:00Z, where the test clocks start unless a test says otherwise.
    package static let start = Date(timeIntervalSince1970: 1_767_225_600)
    /// ``start`` in unix microseconds.
    package static let startMicros = ServiceClock.micros(start)

    /// The service's name: its feed's source, its server's name `aftercare-<name>`.
    package let name: String
    package let database: ServiceDatabase
    package let clock: ServiceClock
    package let feed: EventFeed
    package let ledger: MutationLedger

    /// - Parameters:
    ///   - database: a fresh in-memory one migrated with `migrations` unless given (pass another
    ///     service's to run a second one on its data).
    ///   - start: where the test clock starts.
    package init(_ name: String, migrations: ServiceMigrations, database: ServiceDatabase? = nil, start: Date = Self.start) throws {
        self.name = name
        self.database = try database ?? ServiceDatabase.inMemory(migrations: migrations)
        self.clock = ServiceClock(testMode: true, fixedStart: start)
        self.feed = EventFeed(source: name, database: self.database, clock: self.clock)
        self.ledger = MutationLedger(database: self.database, clock: self.clock)
    }

    /// Serves `services` with the Feed and Step methods in process and runs `body` with a client.
    package func serve<Result: Sendable>(
        _ services: [any RPCService], _ body: @Sendable (RPCClient) async throws -> Result
    ) async throws -> Result {
        try await TestSystem.run(
            on: .inProcess, services: services + [FeedService(feed: self.feed), StepService(ledger: self.ledger.steps)],
            configuration: .init(name: "aftercare-\(self.name)"), serverName: self.name
        ) { system in
            try await body(system.client)
        }
    }
}
