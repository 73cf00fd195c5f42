package import AftercareRPC
package import AftercareServiceKit

/// Every order and case the feeds have named, in the gateway's database: what reconciliation walks
/// (no service lists all of its records to another). A writer of the router; idempotent.
package struct SubjectIndex: EventWriter {
    /// The kinds of record it keeps.
    package enum Kind: String, Sendable, CaseIterable {
        case order
        case `case`
    }

    let database: any SQLDatabase

    /// - Parameter database: the gateway's, migrated with ``AftercareServiceKit/ServiceMigrations/gateway``.
    package init(database: any SQLDatabase) {
        self.database = database
    }

    /// Registers the `known_subjects` table in the gateway's migrations.
    package static func register(in migrations: inout SQLMigrations) {
        migrations.register("gateway-known-subjects-v1") { db in
            try db.execute(
                """
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
    package func write(_ events: [Aftercare_Common_V1_Event], atMicros now: Int64, in db: any SQLConnection) throws {
        for event in events {
            for (kind, id) in [(Kind.order, event.subjects.orderID), (Kind.case, event.subjects.caseID)] where !id.isEmpty {
                try db.execute(
                    "INSERT INTO known_subjects (kind, id, first_seen_seq, source) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    [kind.rawValue, id, event.seq, event.source])
            }
        }
    }

    /// The ids of `kind` known so far, in id order.
    package func ids(_ kind: Kind) async throws -> [String] {
        try await self.database.snapshot { db in
            try db.queryValues("SELECT id FROM known_subjects WHERE kind = ? ORDER BY id", [kind.rawValue], as: String.self)
        }
    }
}
