package import AftercareRPC
package import AftercareServiceKit
package import GRDB

/// Every order and case the feeds have named, in the gateway's database: what reconciliation walks
/// (no service lists all of its records to another). A writer of the router; idempotent.
package struct SubjectIndex: EventWriter {
    /// The kinds of record it keeps.
    package enum Kind: String, Sendable, CaseIterable {
        case order
        case `case`
    }

    let database: ServiceDatabase

    /// - Parameter database: the gateway's, migrated with ``AftercareServiceKit/ServiceMigrations/gateway``.
    package init(database: ServiceDatabase) {
        self.database = database
    }

    /// Registers the `known_subjects` table in the gateway's migrations.
    package static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("gateway-known-subjects-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE known_subjects (
                        kind TEXT NOT NULL,
                        id TEXT NOT NULL,
                        first_seen_seq BIGINT NOT NULL,
                        source TEXT NOT NULL,
                        PRIMARY KEY (kind, id)
                    )
                    """)
        }
    }

    /// Records the order and the case each event of the page names, in the page's transaction.
    package func write(_ events: [Aftercare_Common_V1_Event], atMicros now: Int64, in db: Database) throws -> (@Sendable () -> Void)? {
        for event in events {
            for (kind, id) in [(Kind.order, event.subjects.orderID), (Kind.case, event.subjects.caseID)] where !id.isEmpty {
                try db.cachedStatement(
                    sql: "INSERT INTO known_subjects (kind, id, first_seen_seq, source) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING").execute(
                    arguments: [kind.rawValue, id, event.seq, event.source])
            }
        }
        return nil
    }

    /// The ids of `kind` known so far, in id order.
    package func ids(_ kind: Kind) async throws -> [String] {
        try await self.database.read { db in
            try String.fetchAll(try db.cachedStatement(sql: "SELECT id FROM known_subjects WHERE kind = ? ORDER BY id"), arguments: [kind.rawValue])
        }
    }
}
