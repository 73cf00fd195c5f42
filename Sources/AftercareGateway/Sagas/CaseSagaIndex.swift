package import AftercareServiceKit

/// Which sagas each case's events started, in the gateway's database beside the saga log (the
/// engine knows no cases). ``CaseSagaStarter`` records every saga it starts or finds started, so an
/// event handled again after a crash between the two writes still records it.
package struct CaseSagaIndex: Sendable {
    let database: any SQLDatabase

    /// - Parameter database: the gateway's, migrated with ``AftercareServiceKit/ServiceMigrations/gateway``.
    package init(database: any SQLDatabase) {
        self.database = database
    }

    /// Registers the `case_sagas` table in the gateway's migrations.
    package static func register(in migrations: inout SQLMigrations) {
        migrations.register("gateway-case-sagas-v1") { db in
            try db.executeScript(
                """
                    CREATE TABLE case_sagas (
                        case_id TEXT NOT NULL,
                        saga_id TEXT NOT NULL,
                        created_at BIGINT NOT NULL,
                        PRIMARY KEY (case_id, saga_id)
                    );
                    CREATE INDEX case_sagas_by_saga ON case_sagas (saga_id);
                    """)
        }
    }

    /// Records that saga `sagaID` (created at `createdMicros`) is about case `caseID`; idempotent.
    package func record(caseID: String, sagaID: String, createdMicros: Int64) async throws {
        try await self.database.transaction { db in
            try db.execute(
                "INSERT INTO case_sagas (case_id, saga_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [caseID, sagaID, createdMicros])
        }
    }

    /// The ids of case `caseID`'s sagas, oldest first.
    package func sagaIDs(caseID: String) async throws -> [String] {
        try await self.database.snapshot { db in
            try db.queryValues("SELECT saga_id FROM case_sagas WHERE case_id = ? ORDER BY created_at, saga_id", [caseID], as: String.self)
        }
    }

    /// The case saga `sagaID` is about, if the index has it.
    package func caseID(sagaID: String) async throws -> String? {
        try await self.database.snapshot { db in
            try db.queryValue("SELECT case_id FROM case_sagas WHERE saga_id = ?", [sagaID], as: String.self)
        }
    }
}
