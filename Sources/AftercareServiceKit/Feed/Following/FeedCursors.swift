/// A follower's durable cursors, one per source feed, in the following service's own database
/// (`feed_cursors`): the sequence number of the last event every handler and writer finished with.
package struct FeedCursors: Sendable {
    let database: any SQLDatabase

    /// - Parameter database: the following service's database, migrated with
    ///   ``register(in:as:)``.
    package init(database: any SQLDatabase) {
        self.database = database
    }

    /// Registers the cursors' table in a service's migrations, as the migration `identifier`
    /// (each service names its own: the gateway's is `gateway-feed-cursors-v1`).
    /// - Parameters:
    ///   - migrations: the service's migrations.
    ///   - identifier: the migration's name in that service's database.
    package static func register(in migrations: inout SQLMigrations, as identifier: String) {
        migrations.register(identifier) { db in
            try db.execute("""
                CREATE TABLE feed_cursors (
                    source TEXT PRIMARY KEY,
                    after_seq BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                )
                """)
        }
    }

    /// Where the follower resumes `source`: events after this sequence number (0 for a new source).
    /// - Parameter source: the source service's name.
    package func position(_ source: String) async throws -> Int64 {
        try await self.database.snapshot { db in
            try db.queryValue("SELECT after_seq FROM feed_cursors WHERE source = ?", [source], as: Int64.self) ?? 0
        }
    }

    /// Moves `source`'s cursor forward to `seq` (never back), in `db`: the transaction that wrote
    /// what the events up to `seq` meant.
    func advance(_ source: String, to seq: Int64, atMicros now: Int64, in db: any SQLConnection) throws {
        try db.execute("""
                INSERT INTO feed_cursors (source, after_seq, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (source) DO UPDATE SET after_seq = excluded.after_seq, updated_at = excluded.updated_at
                WHERE feed_cursors.after_seq < excluded.after_seq
                """,
            [source, seq, now])
    }

    /// Sets `source`'s cursor to `seq`, back or forward: an operator replays a feed from there (every
    /// handler is idempotent) or skips past an event. A running follower picks it up when it next
    /// reconnects.
    /// - Parameters:
    ///   - source: the source service's name.
    ///   - seq: the sequence number of the last event to count as handled.
    ///   - now: stamps the change, in microseconds since 1970.
    package func reset(_ source: String, to seq: Int64, atMicros now: Int64) async throws {
        try await self.database.transaction { db in
            try db.execute("""
                    INSERT INTO feed_cursors (source, after_seq, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (source) DO UPDATE SET after_seq = excluded.after_seq, updated_at = excluded.updated_at
                    """,
                [source, seq, now])
        }
    }
}
