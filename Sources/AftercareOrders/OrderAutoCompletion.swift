import AftercareServiceKit
package import Logging
import ServiceLifecycle
import AftercareOrdersAPI

/// The background pass that completes delivered orders the buyer did not confirm: at start-up
/// (completing what came due while the service was down) and then every `interval`, each order
/// whose `auto_complete_at` is due by the service clock becomes COMPLETED, with its
/// `orders.order.completed` event, `batch` per transaction. The deadline is stored with the order
/// at delivery, so a restart changes nothing about when. Stops on graceful shutdown.
package struct OrderAutoCompletion: Service {
    let orders: OrdersService
    let interval: Duration
    let batch: Int
    let logger: Logger

    /// - Parameters:
    ///   - orders: the service whose database, clock and feed the pass uses.
    ///   - interval: time between passes.
    ///   - batch: orders completed per transaction.
    package init(orders: OrdersService, interval: Duration, batch: Int, logger: Logger) {
        self.orders = orders
        self.interval = interval
        self.batch = batch
        self.logger = logger
    }

    package func run() async throws {
        try await PeriodicPass(name: "order auto-completion pass", interval: self.interval, logger: self.logger) {
            _ = try await self.completeDue()
        }.run()
    }

    /// One pass: completes every order due now, a batch per transaction; answers their ids.
    package func completeDue() async throws -> [String] {
        var completed: [String] = []
        while true {
            let orders = self.orders
            let batch = try await orders.database.transaction { db -> [String] in
                let now = orders.clock.nowMicros
                var done: [String] = []
                for orderID in try orders.store.dueForCompletion(at: now, limit: self.batch, in: db) {
                    var order = try orders.store.requireOrder(orderID, in: db)
                    order.status = .completed
                    order.completedAtUnixMicros = now
                    order.updatedAtUnixMicros = now
                    try orders.store.update(order, in: db)
                    try orders.events.order(try orders.store.requireOrder(orderID, in: db), context: nil, in: db)
                    done.append(orderID)
                }
                return done
            }
            for orderID in batch { self.logger.info("order completed by itself (auto_complete_at passed)", metadata: ["order.id": "\(orderID)"]) }
            completed += batch
            if batch.count < self.batch { return completed }
        }
    }
}
