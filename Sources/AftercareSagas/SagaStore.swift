public import AftercareServiceKit
public import AftercareWire
import Foundation

/// The saga log's SQL, behind one small type so a PostgreSQL store could replace it: plain tables,
/// explicit keys, sequence numbers assigned inside the write transaction, `ON CONFLICT` for
/// idempotent inserts. Every method runs inside a transaction the caller holds.
public struct SagaStore: Sendable {
    public init() {}

    /// Registers the saga log's tables (`sagas-v1`, `sagas-v2-parent-span`, `sagas-v3-leases`) in a service's
    /// migrations.
    public static func register(in migrations: inout SQLMigrations) {
        migrations.register("sagas-v1") { db in
            try db.executeScript("""
                CREATE TABLE sagas (
                    saga_id TEXT PRIMARY KEY,
                    definition TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    state TEXT NOT NULL,
                    phase TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    tries INTEGER NOT NULL,
                    awaiting_query INTEGER NOT NULL,
                    saga_values TEXT NOT NULL,
                    trace_id TEXT NOT NULL,
                    completed TEXT NOT NULL,
                    compensations TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    forward_started_at BIGINT NOT NULL,
                    compensation_started_at BIGINT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                );
                CREATE INDEX sagas_by_state ON sagas (state, created_at);
                CREATE TABLE saga_attempts (
                    saga_id TEXT NOT NULL,
                    seq INTEGER NOT NULL,
                    step TEXT NOT NULL,
                    direction TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    attempt INTEGER NOT NULL,
                    started_at BIGINT NOT NULL,
                    ended_at BIGINT,
                    result TEXT NOT NULL,
                    status_code INTEGER NOT NULL,
                    message TEXT NOT NULL,
                    backoff_micros BIGINT NOT NULL,
                    timeout_micros BIGINT NOT NULL,
                    PRIMARY KEY (saga_id, seq)
                );
                CREATE TABLE saga_events (
                    saga_id TEXT NOT NULL,
                    seq INTEGER NOT NULL,
                    at BIGINT NOT NULL,
                    kind TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    PRIMARY KEY (saga_id, seq)
                );
                """)
        }
        // The span a saga's span is a child of (its bits as a signed BIGINT); NULL for the sagas
        // logged before, and for those whose event named none.
        migrations.register("sagas-v2-parent-span") { db in
            try db.execute("ALTER TABLE sagas ADD COLUMN parent_span_id BIGINT")
        }
        // Which engine drives a running or compensating saga, and until when (``SagaLease``):
        // NULL while none does (just started, stuck, finished).
        migrations.register("sagas-v3-leases") { db in
            try db.execute("ALTER TABLE sagas ADD COLUMN lease_owner TEXT")
            try db.execute("ALTER TABLE sagas ADD COLUMN lease_until BIGINT")
        }
    }

    // MARK: Sagas

    /// Inserts a new saga; `false` (and nothing written) when one with its id exists.
    public func insert(_ saga: SagaRecord, in db: any SQLConnection) throws -> Bool {
        try db.execute("""
                INSERT INTO sagas (saga_id, definition, version, state, phase, position, tries, awaiting_query, saga_values, trace_id,
                    parent_span_id, completed, compensations, reason, forward_started_at, compensation_started_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (saga_id) DO NOTHING
                """,
            [
                saga.id, saga.definition, saga.version, saga.state.rawValue, saga.phase.rawValue, saga.position, saga.tries,
                saga.awaitingQuery ? 1 : 0, StringJSON.object(saga.values.entries), saga.traceID.description,
                saga.parentSpanID.map { Int64(bitPattern: $0) }, StringJSON.array(saga.completed),
                StringJSON.array(saga.compensations), saga.reason, saga.forwardStartedMicros, saga.compensationStartedMicros,
                saga.createdMicros, saga.updatedMicros,
            ]) == 1
    }

    /// Writes every mutable field of `saga`, whoever holds its lease: an operator's change of a
    /// stuck saga (the engine driving a saga writes through ``update(_:leasedBy:in:)``).
    public func update(_ saga: SagaRecord, in db: any SQLConnection) throws {
        try db.execute("""
                UPDATE sagas SET state = ?, phase = ?, position = ?, tries = ?, awaiting_query = ?, saga_values = ?, completed = ?,
                    compensations = ?, reason = ?, forward_started_at = ?, compensation_started_at = ?, updated_at = ?
                WHERE saga_id = ?
                """,
            Self.fields(saga) + [saga.id])
    }

    /// The values of the mutable fields, in the order the updates set them.
    static func fields(_ saga: SagaRecord) -> [any SQLConvertible] {
        [
            saga.state.rawValue, saga.phase.rawValue, saga.position, saga.tries, saga.awaitingQuery ? 1 : 0, StringJSON.object(saga.values.entries),
            StringJSON.array(saga.completed), StringJSON.array(saga.compensations), saga.reason, saga.forwardStartedMicros,
            saga.compensationStartedMicros, saga.updatedMicros,
        ]
    }

    /// The saga with `id`, locking its row first (a no-op update) so a read-modify-write on
    /// PostgreSQL does not race another gateway.
    public func sagaForUpdate(_ id: String, in db: any SQLConnection) throws -> SagaRecord? {
        try db.execute("UPDATE sagas SET updated_at = updated_at WHERE saga_id = ?", [id])
        return try self.saga(id, in: db)
    }

    public func saga(_ id: String, in db: any SQLConnection) throws -> SagaRecord? {
        try db.queryOne("SELECT * FROM sagas WHERE saga_id = ?", [id]).map(Self.saga)
    }

    /// Sagas in `state` (every saga if `nil`), oldest first.
    public func sagas(state: SagaState?, in db: any SQLConnection) throws -> [SagaRecord] {
        if let state {
            return try db.query("SELECT * FROM sagas WHERE state = ? ORDER BY created_at, saga_id", [state.rawValue]).map(Self.saga)
        }
        return try db.query("SELECT * FROM sagas ORDER BY created_at, saga_id", []).map(Self.saga)
    }

    // MARK: Attempts

    /// Appends an attempt; its `seq` is assigned here and returned.
    public func append(_ attempt: SagaAttempt, in db: any SQLConnection) throws -> Int {
        let seq = try db.queryValue("SELECT COALESCE(MAX(seq), 0) + 1 FROM saga_attempts WHERE saga_id = ?", [attempt.sagaID], as: Int.self) ?? 1
        try db.execute("""
                INSERT INTO saga_attempts (saga_id, seq, step, direction, kind, attempt, started_at, ended_at, result, status_code, message,
                    backoff_micros, timeout_micros)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            [
                attempt.sagaID, seq, attempt.step, attempt.direction.description, attempt.kind.rawValue, attempt.attempt, attempt.startedMicros,
                attempt.endedMicros, attempt.result.rawValue, attempt.statusCode, attempt.message, attempt.backoffMicros, attempt.timeoutMicros,
            ])
        return seq
    }

    /// Records how attempt `seq` ended.
    public func finish(
        _ sagaID: String, seq: Int, result: SagaAttempt.Result, statusCode: Int, message: String, atMicros: Int64, in db: any SQLConnection
    ) throws {
        try db.execute(
            "UPDATE saga_attempts SET result = ?, status_code = ?, message = ?, ended_at = ? WHERE saga_id = ? AND seq = ?",
            [result.rawValue, statusCode, message, atMicros, sagaID, seq])
    }

    /// Marks every attempt of `sagaID` still `sent` as `unknown`: the engine stopped before its answer.
    public func markInterrupted(_ sagaID: String, atMicros: Int64, in db: any SQLConnection) throws {
        try db.execute("""
                UPDATE saga_attempts SET result = ?, message = ?, ended_at = ?
                WHERE saga_id = ? AND result = ?
                """,
            [
                SagaAttempt.Result.unknown.rawValue, "the engine stopped before the answer", atMicros, sagaID, SagaAttempt.Result.sent.rawValue,
            ])
    }

    /// Every attempt of `sagaID`, in order.
    public func attempts(_ sagaID: String, in db: any SQLConnection) throws -> [SagaAttempt] {
        try db.query("SELECT * FROM saga_attempts WHERE saga_id = ? ORDER BY seq", [sagaID]).map { row in
            let direction: String = try row["direction"]
            return SagaAttempt(
                sagaID: try row["saga_id"], seq: try row["seq"], step: try row["step"], direction: direction == "compensate" ? .compensate : .forward,
                kind: SagaAttempt.Kind(rawValue: try row["kind"]) ?? .call, attempt: try row["attempt"], startedMicros: try row["started_at"],
                endedMicros: try row["ended_at"], result: SagaAttempt.Result(rawValue: try row["result"]) ?? .unknown,
                statusCode: try row["status_code"], message: try row["message"], backoffMicros: try row["backoff_micros"],
                timeoutMicros: try row["timeout_micros"])
        }
    }

    /// How many calls of `step` in `direction` the saga has made.
    public func callCount(_ sagaID: String, step: String, direction: SagaDirection, in db: any SQLConnection) throws -> Int {
        try db.queryValue(
            "SELECT COUNT(*) FROM saga_attempts WHERE saga_id = ? AND step = ? AND direction = ? AND kind = ?",
            [sagaID, step, direction.description, SagaAttempt.Kind.call.rawValue], as: Int.self) ?? 0
    }

    // MARK: Events

    /// Appends an event to the saga's history.
    public func record(_ sagaID: String, _ kind: String, reason: String, atMicros: Int64, in db: any SQLConnection) throws {
        let seq = try db.queryValue("SELECT COALESCE(MAX(seq), 0) + 1 FROM saga_events WHERE saga_id = ?", [sagaID], as: Int.self) ?? 1
        try db.execute("INSERT INTO saga_events (saga_id, seq, at, kind, reason) VALUES (?, ?, ?, ?, ?)", [sagaID, seq, atMicros, kind, reason])
    }

    /// The saga's history besides its calls, in order.
    public func events(_ sagaID: String, in db: any SQLConnection) throws -> [SagaEvent] {
        try db.query("SELECT * FROM saga_events WHERE saga_id = ? ORDER BY seq", [sagaID]).map { row in
            SagaEvent(sagaID: try row["saga_id"], seq: try row["seq"], atMicros: try row["at"], kind: try row["kind"], reason: try row["reason"])
        }
    }

    // MARK: Rows

    static func saga(_ row: SQLRow) throws -> SagaRecord {
        let id: String = try row["saga_id"]
        let stateText: String = try row["state"]
        let phaseText: String = try row["phase"]
        let traceText: String = try row["trace_id"]
        guard let state = SagaState(rawValue: stateText), let phase = SagaPhase(rawValue: phaseText), let traceID = TraceID(hex: traceText) else {
            throw SagaError(.corruptLog, "saga \(id) has state \(stateText), phase \(phaseText), trace \(traceText)")
        }
        let awaiting: Int = try row["awaiting_query"]
        let parentSpanID: Int64? = try row["parent_span_id"]
        return SagaRecord(
            id: id, definition: try row["definition"], version: try row["version"], state: state, phase: phase, position: try row["position"],
            tries: try row["tries"], awaitingQuery: awaiting != 0, values: try Self.decode(try row["saga_values"]), traceID: traceID,
            parentSpanID: parentSpanID.map { UInt64(bitPattern: $0) }, completed: try Self.decode(try row["completed"]),
            compensations: try Self.decode(try row["compensations"]), reason: try row["reason"],
            forwardStartedMicros: try row["forward_started_at"], compensationStartedMicros: try row["compensation_started_at"],
            createdMicros: try row["created_at"], updatedMicros: try row["updated_at"])
    }

    private static func decode<T: Decodable>(_ text: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }
}

extension ServiceMigrations {
    /// The saga log's tables alone, for a database that holds nothing else (tests). A gateway with
    /// tables of its own calls ``SagaStore/register(in:)`` from its own migrations.
    public static let sagas = ServiceMigrations(portable: .sagas)
}

extension SQLMigrations {
    /// The saga log's tables alone, on the database layer (``AftercareServiceKit/ServiceMigrations/sagas``).
    public static let sagas: SQLMigrations = {
        var migrations = SQLMigrations()
        SagaStore.register(in: &migrations)
        return migrations
    }()
}
