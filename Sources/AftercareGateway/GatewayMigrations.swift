package import AftercareServiceKit
import AftercareSagas
import GRDB

extension ServiceMigrations {
    /// The gateway's tables: the saga log (`SagaStore`), the feed cursors and the inboxes
    /// (`EventRouter`), which sagas each case started (`CaseSagaIndex`), the orders and cases the
    /// feeds named (`SubjectIndex`), the public calls' intents (`GatewayIntents`). Plain SQL that
    /// PostgreSQL runs too.
    package static let gateway = ServiceMigrations { migrator in
        SagaStore.register(in: &migrator)
        EventRouter.register(in: &migrator)
        CaseSagaIndex.register(in: &migrator)
        SubjectIndex.register(in: &migrator)
        GatewayIntents.register(in: &migrator)
    }
}
