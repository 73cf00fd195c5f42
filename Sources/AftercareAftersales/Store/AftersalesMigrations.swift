package import AftercareServiceKit

extension ServiceMigrations {
    /// Aftersales' migrations (``AftercareServiceKit/SQLMigrations/aftersales``), for its SQLite database.
    package static let aftersales = ServiceMigrations(portable: .aftersales)
}

extension SQLMigrations {
    /// Aftersales' tables: cases (the fields lists and filters use as columns, the rest as a record),
    /// their history, evidence, durable timers, review decisions, the policy texts that made them,
    /// and the carrier events recorded (their natural key); an index of the open cases by state; the
    /// order lines' locks.
    /// Registered once, run on SQLite and on PostgreSQL.
    package static let aftersales: SQLMigrations = {
        var migrations = SQLMigrations()
        migrations.register("aftersales-v1") { db in
            try db.executeScript("""
                CREATE TABLE cases (
                    case_id TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    state TEXT NOT NULL,
                    closed INTEGER NOT NULL,
                    version BIGINT NOT NULL,
                    order_id TEXT NOT NULL,
                    buyer_id TEXT NOT NULL,
                    seller_id TEXT NOT NULL,
                    details TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                );
                CREATE INDEX cases_by_buyer ON cases (buyer_id, case_id);
                CREATE INDEX cases_by_seller ON cases (seller_id, case_id);
                CREATE INDEX cases_by_order ON cases (order_id, case_id);
                CREATE TABLE case_lines (
                    case_id TEXT NOT NULL,
                    order_id TEXT NOT NULL,
                    line_id TEXT NOT NULL,
                    PRIMARY KEY (case_id, line_id)
                );
                CREATE INDEX case_lines_by_line ON case_lines (order_id, line_id);
                CREATE TABLE case_history (
                    case_id TEXT NOT NULL,
                    seq BIGINT NOT NULL,
                    entry TEXT NOT NULL,
                    at BIGINT NOT NULL,
                    PRIMARY KEY (case_id, seq)
                );
                CREATE TABLE case_evidence (
                    evidence_id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL,
                    party TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    body TEXT NOT NULL,
                    added_at BIGINT NOT NULL
                );
                CREATE INDEX case_evidence_by_case ON case_evidence (case_id, evidence_id);
                CREATE TABLE case_timers (
                    case_id TEXT NOT NULL,
                    timer TEXT NOT NULL,
                    status TEXT NOT NULL,
                    started_at BIGINT NOT NULL,
                    deadline BIGINT NOT NULL,
                    ended_at BIGINT,
                    PRIMARY KEY (case_id, timer)
                );
                CREATE INDEX case_timers_due ON case_timers (status, deadline);
                CREATE TABLE decisions (
                    decision_id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL,
                    policy_version TEXT NOT NULL,
                    policy_fingerprint TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    decided_at BIGINT NOT NULL,
                    body TEXT NOT NULL
                );
                CREATE INDEX decisions_by_case ON decisions (case_id, decision_id);
                CREATE INDEX decisions_by_time ON decisions (decided_at, decision_id);
                CREATE TABLE policies (
                    fingerprint TEXT PRIMARY KEY,
                    version TEXT NOT NULL,
                    source TEXT NOT NULL,
                    first_used_at BIGINT NOT NULL
                );
                CREATE TABLE carrier_events (
                    carrier_event_id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL,
                    history_seq BIGINT NOT NULL
                );
                """)
        }
        // The open cases by kind and state, for the metrics scrape (`CaseMetrics.openCases`): an
        // index of the open ones only, so a scrape reads what is in flight, not the history.
        migrations.register("aftersales-v2-open-cases") { db in
            try db.executeScript("CREATE INDEX cases_open_by_state ON cases (kind, state) WHERE closed = 0")
        }
        // One row per order line a case was opened on, which every opening of a case on the line
        // locks before counting the line's cases (AftersalesStore.lockLine): two openings on one
        // line check and count one after the other on PostgreSQL too. Rows are made on demand.
        migrations.register("aftersales-v3-line-locks") { db in
            try db.executeScript("""
                CREATE TABLE case_line_locks (
                    order_id TEXT NOT NULL,
                    line_id TEXT NOT NULL,
                    PRIMARY KEY (order_id, line_id)
                )
                """)
        }
        // Cases and history entries as protobuf records instead of JSON text: Foundation's JSON
        // coding of the case at every change was a fifth of the service's CPU.
        migrations.register("aftersales-v4-stored-records") { db in
            try StoredRecordsMigration.apply(in: db)
        }
        return migrations
    }()
}
