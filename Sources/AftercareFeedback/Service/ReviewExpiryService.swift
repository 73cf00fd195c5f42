package import AftercareServiceKit
package import Logging
import ServiceLifecycle

/// The background pass of T_review: at start-up (firing what came due while the service was down)
/// and then every `interval`, expires the ELIGIBLE reviews whose running timer is due by the
/// service clock, `batch` per transaction. Stops on graceful shutdown.
package struct ReviewExpiryService: Service {
    let reviews: Reviews
    let database: any SQLDatabase
    let interval: Duration
    let batch: Int
    let logger: Logger

    package init(database: any SQLDatabase, clock: ServiceClock, feed: EventFeed, interval: Duration, batch: Int, logger: Logger) {
        self.reviews = Reviews(store: FeedbackStore(), feed: feed, clock: clock)
        self.database = database
        self.interval = interval
        self.batch = batch
        self.logger = logger
    }

    package func run() async throws {
        try await PeriodicPass(name: "review expiry pass", interval: self.interval, logger: self.logger) {
            _ = try await self.expireDue()
        }.run()
    }

    /// One pass: expires every review due now, a batch per transaction; how many expired.
    package func expireDue() async throws -> Int {
        var total = 0
        while true {
            let expired = try await self.database.transaction { db in try self.reviews.expireDue(limit: self.batch, in: db) }
            total += expired.count
            for reviewID in expired { self.logger.info("review expired (T_review fired)", metadata: ["review.id": "\(reviewID)"]) }
            if expired.count < self.batch { return total }
        }
    }
}
