package import AftercareServiceKit
import AftercareSagas

extension ServiceMigrations {
    /// The gateway's migrations (``AftercareServiceKit/SQLMigrations/gateway``), for its SQLite
    /// database.
    package static let gateway = ServiceMigrations(portable: .gateway)
}

extension SQLMigrations {
    /// The gateway's tables: the saga log (`SagaStore`), the feed cursors and the inboxes
    /// (`EventRouter`), which sagas each case started (`CaseSagaIndex`), the orders and cases the
    /// feeds named (`SubjectIndex`), the public calls' intents (`GatewayIntents`), the followers'
    /// and the reconciliation pass's leases (`WorkLease`). Registered once,
    /// run on SQLite and on PostgreSQL.
    package static let gateway: SQLMigrations = {
        var migrations = SQLMigrations()
        SagaStore.register(in: &migrations)
        EventRouter.register(in: &migrations)
        CaseSagaIndex.register(in: &migrations)
        SubjectIndex.register(in: &migrations)
        GatewayIntents.register(in: &migrations)
        WorkLease.register(in: &migrations, as: "gateway-work-leases-v1")
        return migrations
    }()
}
