package import AftercareServiceKit
package import Logging
import ServiceLifecycle

/// The background pass of the case timers: at start-up (firing what came due while the service was
/// down) and then every `interval`, fires every running timer due by the service clock, `batch`
/// per transaction. Stops on graceful shutdown.
package struct CaseTimerService: Service {
    let cases: Cases
    let database: any SQLDatabase
    let interval: Duration
    let batch: Int
    let logger: Logger

    package init(
        database: any SQLDatabase, clock: ServiceClock, feed: EventFeed, policy: ReviewPolicy, interval: Duration, batch: Int,
        logger: Logger
    ) {
        self.cases = Cases(store: AftersalesStore(), feed: feed, clock: clock, policy: policy)
        self.database = database
        self.interval = interval
        self.batch = batch
        self.logger = logger
    }

    package func run() async throws {
        try await PeriodicPass(name: "case timer pass", interval: self.interval, logger: self.logger) {
            _ = try await self.fireDue()
        }.run()
    }

    /// One pass: fires every timer due now, a batch per transaction; how many cases moved.
    package func fireDue() async throws -> Int {
        var total = 0
        while true {
            let moved = try await self.database.transaction { db in try self.cases.fireDue(limit: self.batch, logger: self.logger, in: db) }
            total += moved.count
            if moved.isEmpty { return total }
        }
    }
}
