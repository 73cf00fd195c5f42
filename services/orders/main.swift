import AftercareOrders
import AftercareServiceKit
import AftercareServiceRuntime
import Logging

await ServiceMain.run(name: "orders", migrations: OrdersMigrations.all) { env in
    let settings = try OrdersSettings(config: env.config)
    env.logger.info(
        "orders auto-completion",
        metadata: [
            "orders.autoComplete.after": "\(settings.autoCompleteAfter)", "orders.autoComplete.interval": "\(settings.autoCompleteInterval)",
        ])
    let orders = OrdersService(
        database: env.database, clock: env.clock, feed: env.feed, ledger: env.ledger, autoCompleteAfter: settings.autoCompleteAfter)
    return ServiceParts(
        services: [orders],
        background: [OrderAutoCompletion(orders: orders, interval: settings.autoCompleteInterval, batch: settings.autoCompleteBatch, logger: env.logger)])
}
