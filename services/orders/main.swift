import AftercareOrders
import AftercareServiceKit
import AftercareServiceRuntime

await ServiceMain.run(name: "orders", migrations: OrdersMigrations.all) { env in
    ServiceParts(services: [OrdersService(database: env.database, clock: env.clock, feed: env.feed, ledger: env.ledger)])
}
