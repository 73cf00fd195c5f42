import Foundation
import GRDB

/// Every SQL statement of aftersales, behind methods that take the caller's transaction, so a
/// PostgreSQL store could replace it. Records are JSON text beside the columns that lists, locks
/// and timers query.
struct AftersalesStore: Sendable {

    // MARK: Cases

    func insert(_ record: CaseRecord, in db: Database) throws {
        try db.cachedStatement(sql: """
                INSERT INTO cases (case_id, kind, state, closed, version, order_id, buyer_id, seller_id, details, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(
            arguments: [
                record.caseID, record.kind.rawValue, record.state.rawValue, record.isClosed ? 1 : 0, record.version, record.orderID,
                record.buyerID, record.sellerID, try Self.json(record), record.createdAtMicros, record.updatedAtMicros,
            ])
        for line in record.lines {
            try db.cachedStatement(sql: "INSERT INTO case_lines (case_id, order_id, line_id) VALUES (?, ?, ?)").execute(
                arguments: [record.caseID, record.orderID, line.lineID])
        }
    }

    func update(_ record: CaseRecord, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE cases SET state = ?, closed = ?, version = ?, details = ?, updated_at = ? WHERE case_id = ?").execute(
            arguments: [
                record.state.rawValue, record.isClosed ? 1 : 0, record.version, try Self.json(record), record.updatedAtMicros,
                record.caseID,
            ])
    }

    /// Takes the case's row lock for the rest of the transaction (PostgreSQL: a concurrent writer
    /// of the same case waits; SQLite serializes writes anyway). `false` when there is no such case.
    func lockCase(_ caseID: String, in db: Database) throws -> Bool {
        try db.cachedStatement(sql: "UPDATE cases SET version = version WHERE case_id = ?").execute(arguments: [caseID])
        return db.changesCount > 0
    }

    func caseRecord(_ caseID: String, in db: Database) throws -> CaseRecord? {
        try String.fetchOne(try db.cachedStatement(sql: "SELECT details FROM cases WHERE case_id = ?"), arguments: [caseID]).map(Self.decode)
    }

    /// Which column a case list filters on.
    enum ListKey: String, Sendable {
        case buyer = "buyer_id"
        case seller = "seller_id"
        case order = "order_id"
    }

    /// What a case list keeps.
    enum StateFilter: Sendable, Hashable {
        case all, open, closed
        case state(CaseState)
    }

    /// Cases whose `key` column is `value`, newest first (by id), after the id `before` when given.
    func cases(_ key: ListKey, _ value: String, filter: StateFilter, before: String?, limit: Int, in db: Database) throws -> [CaseRecord] {
        var sql = "SELECT details FROM cases WHERE \(key.rawValue) = ?"
        var arguments: StatementArguments = [value]
        switch filter {
        case .all: break
        case .open: sql += " AND closed = 0"
        case .closed: sql += " AND closed = 1"
        case .state(let state):
            sql += " AND state = ?"
            arguments += [state.rawValue]
        }
        if let before {
            sql += " AND case_id < ?"
            arguments += [before]
        }
        sql += " ORDER BY case_id DESC LIMIT ?"
        arguments += [limit]
        return try String.fetchAll(db, sql: sql, arguments: arguments).map(Self.decode)
    }

    /// For one order line: how many cases were ever opened on it, and the open ones' ids.
    func casesOnLine(orderID: String, lineID: String, in db: Database) throws -> (count: Int, open: [String]) {
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT c.case_id, c.closed FROM case_lines l JOIN cases c ON c.case_id = l.case_id
                WHERE l.order_id = ? AND l.line_id = ? ORDER BY c.case_id
                """),
            arguments: [orderID, lineID])
        return (rows.count, rows.filter { ($0["closed"] as Int64) == 0 }.map { $0["case_id"] })
    }

    // MARK: History

    func append(_ entry: HistoryEntryRecord, caseID: String, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO case_history (case_id, seq, entry, at) VALUES (?, ?, ?, ?)").execute(
            arguments: [caseID, entry.seq, try Self.json(entry), entry.atMicros])
    }

    func history(_ caseID: String, in db: Database) throws -> [HistoryEntryRecord] {
        try String.fetchAll(try db.cachedStatement(sql: "SELECT entry FROM case_history WHERE case_id = ? ORDER BY seq"), arguments: [caseID])
            .map(Self.decode)
    }

    // MARK: Evidence

    func insert(_ evidence: EvidenceRecord, in db: Database) throws {
        try db.cachedStatement(
            sql: "INSERT INTO case_evidence (evidence_id, case_id, party, kind, body, added_at) VALUES (?, ?, ?, ?, ?, ?)").execute(
            arguments: [
                evidence.evidenceID, evidence.caseID, evidence.party.rawValue, evidence.kind.rawValue, try Self.json(evidence),
                evidence.addedAtMicros,
            ])
    }

    func evidence(_ caseID: String, in db: Database) throws -> [EvidenceRecord] {
        try String.fetchAll(
            db.cachedStatement(sql: "SELECT body FROM case_evidence WHERE case_id = ? ORDER BY added_at, evidence_id"), arguments: [caseID]
        ).map(Self.decode)
    }

    // MARK: Timers

    func save(_ timer: TimerRecord, in db: Database) throws {
        try db.cachedStatement(sql: """
                INSERT INTO case_timers (case_id, timer, status, started_at, deadline, ended_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (case_id, timer) DO UPDATE SET status = excluded.status, started_at = excluded.started_at,
                    deadline = excluded.deadline, ended_at = excluded.ended_at
                """).execute(
            arguments: [
                timer.caseID, timer.timer.rawValue, timer.status.rawValue, timer.startedAtMicros, timer.deadlineMicros,
                timer.endedAtMicros,
            ])
    }

    func timers(_ caseID: String, in db: Database) throws -> [TimerRecord] {
        try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM case_timers WHERE case_id = ? ORDER BY started_at, timer"), arguments: [caseID])
            .compactMap(Self.timer(from:))
    }

    /// Running timers whose deadline is at or before `now`, earliest first.
    func dueTimers(atMicros now: Int64, limit: Int, in db: Database) throws -> [TimerRecord] {
        try Row.fetchAll(
            db,
            sql: "SELECT * FROM case_timers WHERE status = ? AND deadline <= ? ORDER BY deadline, case_id, timer LIMIT ?",
            arguments: [TimerRecord.Status.running.rawValue, now, limit]
        ).compactMap(Self.timer(from:))
    }

    private static func timer(from row: Row) -> TimerRecord? {
        guard let timer = CaseTimer(rawValue: row["timer"]), let status = TimerRecord.Status(rawValue: row["status"]) else { return nil }
        return TimerRecord(
            caseID: row["case_id"], timer: timer, status: status, startedAtMicros: row["started_at"], deadlineMicros: row["deadline"],
            endedAtMicros: row["ended_at"])
    }

    // MARK: Decisions and policies

    func insert(decisionID: String, caseID: String, _ decision: ReviewDecision, atMicros: Int64, in db: Database) throws {
        try db.cachedStatement(sql: """
                INSERT INTO decisions (decision_id, case_id, policy_version, policy_fingerprint, outcome, decided_at, body)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """).execute(
            arguments: [
                decisionID, caseID, decision.policyVersion, decision.policyFingerprint, decision.outcome.rawValue, atMicros,
                try decision.json(),
            ])
    }

    /// A stored decision with its case and time.
    struct StoredDecision: Sendable {
        var decisionID: String
        var caseID: String
        var decidedAtMicros: Int64
        var decision: ReviewDecision
    }

    func decision(_ decisionID: String, in db: Database) throws -> StoredDecision? {
        try Row.fetchOne(
            try db.cachedStatement(sql: "SELECT * FROM decisions WHERE decision_id = ?"), arguments: [decisionID]).map(Self.decision(from:))
    }

    /// Decisions made in [from, to) (an end of nil is open), newest first, at most `limit`.
    func decisions(fromMicros: Int64?, toMicros: Int64?, limit: Int, in db: Database) throws -> [StoredDecision] {
        var sql = "SELECT * FROM decisions WHERE 1 = 1"
        var arguments: StatementArguments = []
        if let fromMicros {
            sql += " AND decided_at >= ?"
            arguments += [fromMicros]
        }
        if let toMicros {
            sql += " AND decided_at < ?"
            arguments += [toMicros]
        }
        sql += " ORDER BY decided_at DESC, decision_id DESC LIMIT ?"
        arguments += [limit]
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.decision(from:))
    }

    private static func decision(from row: Row) throws -> StoredDecision {
        StoredDecision(
            decisionID: row["decision_id"], caseID: row["case_id"], decidedAtMicros: row["decided_at"],
            decision: try ReviewDecision(json: row["body"]))
    }

    /// Keeps a policy's text by its fingerprint (the first time it decides).
    func keep(_ policy: ReviewPolicy, atMicros: Int64, in db: Database) throws {
        try db.cachedStatement(
            sql: "INSERT INTO policies (fingerprint, version, source, first_used_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING").execute(
            arguments: [policy.fingerprint, policy.version, policy.source, atMicros])
    }

    /// The text of the policy with `fingerprint`, if it ever decided.
    func policySource(fingerprint: String, in db: Database) throws -> String? {
        try String.fetchOne(try db.cachedStatement(sql: "SELECT source FROM policies WHERE fingerprint = ?"), arguments: [fingerprint])
    }

    // MARK: Carrier events

    /// Keeps a carrier event's id with the case and history entry that recorded it (the handler
    /// answers a known id before applying anything: ``carrierEventCase(_:in:)``).
    func keepCarrierEvent(_ eventID: String, caseID: String, seq: Int64, in db: Database) throws {
        try db.cachedStatement(
            sql: "INSERT INTO carrier_events (carrier_event_id, case_id, history_seq) VALUES (?, ?, ?) ON CONFLICT DO NOTHING").execute(
            arguments: [eventID, caseID, seq])
    }

    func carrierEventCase(_ eventID: String, in db: Database) throws -> String? {
        try String.fetchOne(try db.cachedStatement(sql: "SELECT case_id FROM carrier_events WHERE carrier_event_id = ?"), arguments: [eventID])
    }

    // MARK: JSON

    private static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private static func decode<Value: Decodable>(_ text: String) throws -> Value {
        try JSONDecoder().decode(Value.self, from: Data(text.utf8))
    }
}
