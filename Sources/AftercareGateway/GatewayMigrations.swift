public import AftercareServiceKit
import AftercareSagas
import GRDB

extension ServiceMigrations {
    /// The gateway's tables: the saga log (`SagaStore`), the feed cursors and the inboxes
    /// (`EventRouter`). Plain SQL that PostgreSQL runs too.
    public static let gateway = ServiceMigrations { migrator in
        SagaStore.register(in: &migrator)
        EventRouter.register(in: &migrator)
    }
}
