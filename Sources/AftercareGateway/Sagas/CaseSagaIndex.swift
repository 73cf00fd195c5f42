package import AftercareServiceKit
package import GRDB

/// Which sagas each case's events started, in the gateway's database beside the saga log (the
/// engine knows no cases). ``CaseSagaStarter`` records every saga it starts or finds started, so an
/// event handled again after a crash between the two writes still records it.
package struct CaseSagaIndex: Sendable {
    let database: ServiceDatabase

    /// - Parameter database: the gateway's, migrated with ``AftercareServiceKit/ServiceMigrations/gateway``.
    package init(database: ServiceDatabase) {
        self.database = database
    }

    /// Registers the `case_sagas` table in the gateway's migrations.
    package static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("gateway-case-sagas-v1") { db in
            try db.execute(
                sql: """
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
        try await self.database.write { db in
            try db.cachedStatement(sql: "INSERT INTO case_sagas (case_id, saga_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING").execute(
                arguments: [caseID, sagaID, createdMicros])
        }
    }

    /// The ids of case `caseID`'s sagas, oldest first.
    package func sagaIDs(caseID: String) async throws -> [String] {
        try await self.database.read { db in
            try String.fetchAll(
                try db.cachedStatement(sql: "SELECT saga_id FROM case_sagas WHERE case_id = ? ORDER BY created_at, saga_id"), arguments: [caseID])
        }
    }

    /// The case saga `sagaID` is about, if the index has it.
    package func caseID(sagaID: String) async throws -> String? {
        try await self.database.read { db in
            try String.fetchOne(try db.cachedStatement(sql: "SELECT case_id FROM case_sagas WHERE saga_id = ?"), arguments: [sagaID])
        }
    }
}
