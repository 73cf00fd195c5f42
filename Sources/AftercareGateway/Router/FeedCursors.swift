package import AftercareServiceKit
package import GRDB

/// The router's durable cursors, one per source feed, in the gateway's database (`feed_cursors`):
/// the sequence number of the last event every handler finished with.
package struct FeedCursors: Sendable {
    let database: ServiceDatabase

    /// - Parameter database: the gateway's database, migrated with ``register(in:)``.
    package init(database: ServiceDatabase) {
        self.database = database
    }

    /// Registers the cursors' table in the gateway's migrations.
    package static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("gateway-feed-cursors-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE feed_cursors (
                        source TEXT PRIMARY KEY,
                        after_seq BIGINT NOT NULL,
                        updated_at BIGINT NOT NULL
                    )
                    """)
        }
    }

    /// Where the router resumes `source`: events after this sequence number (0 for a new source).
    package func position(_ source: String) async throws -> Int64 {
        try await self.database.read { db in
            try Int64.fetchOne(try db.cachedStatement(sql: "SELECT after_seq FROM feed_cursors WHERE source = ?"), arguments: [source]) ?? 0
        }
    }

    /// Moves `source`'s cursor forward to `seq` (never back), in `db`: the transaction that wrote
    /// what the events up to `seq` meant.
    func advance(_ source: String, to seq: Int64, atMicros now: Int64, in db: Database) throws {
        try db.cachedStatement(sql: """
                INSERT INTO feed_cursors (source, after_seq, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (source) DO UPDATE SET after_seq = excluded.after_seq, updated_at = excluded.updated_at
                WHERE feed_cursors.after_seq < excluded.after_seq
                """).execute(
            arguments: [source, seq, now])
    }

    /// Sets `source`'s cursor to `seq`, back or forward: an operator replays a feed from there (every
    /// handler is idempotent) or skips past an event. A running follower picks it up when it next
    /// reconnects.
    package func reset(_ source: String, to seq: Int64, atMicros now: Int64) async throws {
        try await self.database.write { db in
            try db.cachedStatement(sql: """
                    INSERT INTO feed_cursors (source, after_seq, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (source) DO UPDATE SET after_seq = excluded.after_seq, updated_at = excluded.updated_at
                    """).execute(
                arguments: [source, seq, now])
        }
    }
}
