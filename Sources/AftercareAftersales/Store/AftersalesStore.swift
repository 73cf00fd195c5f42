import AftercareServiceKit
import Foundation

/// Every SQL statement of aftersales, behind methods that take the caller's transaction: one store
/// on the database layer, run by both of its drivers (SQLite through GRDB, PostgreSQL through
/// postgres-nio). Cases and history entries are stored as protobuf (`Records/aftersales_records.proto`)
/// beside the columns that lists, locks and timers query; evidence and decisions as JSON text.
struct AftersalesStore: Sendable {

    // MARK: Cases

    func insert(_ record: CaseRecord, in db: any SQLConnection) throws {
        try db.execute(
            """
            INSERT INTO cases (case_id, kind, state, closed, version, order_id, buyer_id, seller_id, record, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                record.caseID, record.kind.rawValue, record.state.rawValue, record.isClosed, record.version, record.orderID,
                record.buyerID, record.sellerID, try record.storedData(), record.createdAtMicros, record.updatedAtMicros,
            ])
        for line in record.lines {
            try db.execute("INSERT INTO case_lines (case_id, order_id, line_id) VALUES (?, ?, ?)", [record.caseID, record.orderID, line.lineID])
        }
    }

    func update(_ record: CaseRecord, in db: any SQLConnection) throws {
        try db.execute(
            "UPDATE cases SET state = ?, closed = ?, version = ?, record = ?, updated_at = ? WHERE case_id = ?",
            [record.state.rawValue, record.isClosed, record.version, try record.storedData(), record.updatedAtMicros, record.caseID])
    }

    /// Takes the case's row lock for the rest of the transaction (PostgreSQL: a concurrent writer
    /// of the same case waits; SQLite serializes writes anyway). `false` when there is no such case.
    func lockCase(_ caseID: String, in db: any SQLConnection) throws -> Bool {
        try db.execute("UPDATE cases SET version = version WHERE case_id = ?", [caseID]) > 0
    }

    func caseRecord(_ caseID: String, in db: any SQLConnection) throws -> CaseRecord? {
        try db.queryValue("SELECT record FROM cases WHERE case_id = ?", [caseID], as: Data.self).map(CaseRecord.init(storedData:))
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
    func cases(_ key: ListKey, _ value: String, filter: StateFilter, before: String?, limit: Int, in db: any SQLConnection) throws -> [CaseRecord] {
        var sql = "SELECT record FROM cases WHERE \(key.rawValue) = ?"
        var arguments: [any SQLConvertible] = [value]
        switch filter {
        case .all: break
        case .open: sql += " AND closed = 0"
        case .closed: sql += " AND closed = 1"
        case .state(let state):
            sql += " AND state = ?"
            arguments.append(state.rawValue)
        }
        if let before {
            sql += " AND case_id < ?"
            arguments.append(before)
        }
        sql += " ORDER BY case_id DESC LIMIT ?"
        arguments.append(limit)
        return try db.queryValues(sql, arguments, as: Data.self).map(CaseRecord.init(storedData:))
    }

    /// Takes an order line's lock for the rest of the transaction, before its cases are counted
    /// and a case is opened on it (``casesOnLine(orderID:lineID:in:)``): its row in
    /// `case_line_locks`, inserted the first time, updated (to itself) after. PostgreSQL: a
    /// concurrent opener of a case on the same line waits for this transaction, then counts the
    /// case it opened — at any isolation level (under `SERIALIZABLE` it is rolled back and runs
    /// again); SQLite serializes writes anyway.
    func lockLine(orderID: String, lineID: String, in db: any SQLConnection) throws {
        try db.execute(
            "INSERT INTO case_line_locks (order_id, line_id) VALUES (?, ?) ON CONFLICT (order_id, line_id) DO UPDATE SET line_id = excluded.line_id",
            [orderID, lineID])
    }

    /// For one order line: how many cases were ever opened on it, and the open ones' ids.
    func casesOnLine(orderID: String, lineID: String, in db: any SQLConnection) throws -> (count: Int, open: [String]) {
        let rows = try db.query(
            """
            SELECT c.case_id, c.closed FROM case_lines l JOIN cases c ON c.case_id = l.case_id
            WHERE l.order_id = ? AND l.line_id = ? ORDER BY c.case_id
            """,
            [orderID, lineID])
        return (rows.count, try rows.filter { row in !(try row.decode("closed", as: Bool.self)) }.map { row in try row["case_id"] })
    }

    /// The open cases by kind and state (read through the partial index `cases_open_by_state`).
    func openCaseCounts(in db: any SQLConnection) throws -> [(kind: String, state: String, count: Int)] {
        try db.query("SELECT kind, state, COUNT(*) AS open_cases FROM cases WHERE closed = 0 GROUP BY kind, state", []).map { row in
            (try row["kind"], try row["state"], try row["open_cases"])
        }
    }

    // MARK: History

    func append(_ entry: HistoryEntryRecord, caseID: String, in db: any SQLConnection) throws {
        try db.execute("INSERT INTO case_history (case_id, seq, record, at) VALUES (?, ?, ?, ?)", [caseID, entry.seq, try entry.storedData(), entry.atMicros])
    }

    func history(_ caseID: String, in db: any SQLConnection) throws -> [HistoryEntryRecord] {
        try db.queryValues("SELECT record FROM case_history WHERE case_id = ? ORDER BY seq", [caseID], as: Data.self)
            .map(HistoryEntryRecord.init(storedData:))
    }

    // MARK: Evidence

    func insert(_ evidence: EvidenceRecord, in db: any SQLConnection) throws {
        try db.execute(
            "INSERT INTO case_evidence (evidence_id, case_id, party, kind, body, added_at) VALUES (?, ?, ?, ?, ?, ?)",
            [
                evidence.evidenceID, evidence.caseID, evidence.party.rawValue, evidence.kind.rawValue, try Self.json(evidence),
                evidence.addedAtMicros,
            ])
    }

    func evidence(_ caseID: String, in db: any SQLConnection) throws -> [EvidenceRecord] {
        try db.queryValues("SELECT body FROM case_evidence WHERE case_id = ? ORDER BY added_at, evidence_id", [caseID], as: String.self)
            .map(Self.decode)
    }

    // MARK: Timers

    func save(_ timer: TimerRecord, in db: any SQLConnection) throws {
        try db.execute(
            """
            INSERT INTO case_timers (case_id, timer, status, started_at, deadline, ended_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (case_id, timer) DO UPDATE SET status = excluded.status, started_at = excluded.started_at,
                deadline = excluded.deadline, ended_at = excluded.ended_at
            """,
            [
                timer.caseID, timer.timer.rawValue, timer.status.rawValue, timer.startedAtMicros, timer.deadlineMicros,
                timer.endedAtMicros,
            ])
    }

    func timers(_ caseID: String, in db: any SQLConnection) throws -> [TimerRecord] {
        try db.query("SELECT * FROM case_timers WHERE case_id = ? ORDER BY started_at, timer", [caseID]).compactMap(Self.timer(from:))
    }

    /// Running timers whose deadline is at or before `now`, earliest first.
    func dueTimers(atMicros now: Int64, limit: Int, in db: any SQLConnection) throws -> [TimerRecord] {
        try db.query(
            "SELECT * FROM case_timers WHERE status = ? AND deadline <= ? ORDER BY deadline, case_id, timer LIMIT ?",
            [TimerRecord.Status.running.rawValue, now, limit]
        ).compactMap(Self.timer(from:))
    }

    /// A timer row; `nil` for a timer or status this version does not know.
    private static func timer(from row: SQLRow) throws -> TimerRecord? {
        guard let timer = CaseTimer(rawValue: try row["timer"]), let status = TimerRecord.Status(rawValue: try row["status"]) else { return nil }
        return TimerRecord(
            caseID: try row["case_id"], timer: timer, status: status, startedAtMicros: try row["started_at"], deadlineMicros: try row["deadline"],
            endedAtMicros: try row["ended_at"])
    }

    // MARK: Decisions and policies

    func insert(decisionID: String, caseID: String, _ decision: ReviewDecision, atMicros: Int64, in db: any SQLConnection) throws {
        try db.execute(
            """
            INSERT INTO decisions (decision_id, case_id, policy_version, policy_fingerprint, outcome, decided_at, body)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            [
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

    func decision(_ decisionID: String, in db: any SQLConnection) throws -> StoredDecision? {
        try db.queryOne("SELECT decision_id, case_id, decided_at, body FROM decisions WHERE decision_id = ?", [decisionID]).map(Self.decision(from:))
    }

    /// Decisions made in [from, to) (an end of nil is open), newest first, at most `limit`.
    func decisions(fromMicros: Int64?, toMicros: Int64?, limit: Int, in db: any SQLConnection) throws -> [StoredDecision] {
        var sql = "SELECT decision_id, case_id, decided_at, body FROM decisions WHERE 1 = 1"
        var arguments: [any SQLConvertible] = []
        if let fromMicros {
            sql += " AND decided_at >= ?"
            arguments.append(fromMicros)
        }
        if let toMicros {
            sql += " AND decided_at < ?"
            arguments.append(toMicros)
        }
        sql += " ORDER BY decided_at DESC, decision_id DESC LIMIT ?"
        arguments.append(limit)
        return try db.query(sql, arguments).map(Self.decision(from:))
    }

    private static func decision(from row: SQLRow) throws -> StoredDecision {
        StoredDecision(
            decisionID: try row["decision_id"], caseID: try row["case_id"], decidedAtMicros: try row["decided_at"],
            decision: try ReviewDecision(json: try row["body"]))
    }

    /// Keeps a policy's text by its fingerprint (the first time it decides).
    func keep(_ policy: ReviewPolicy, atMicros: Int64, in db: any SQLConnection) throws {
        try db.execute(
            "INSERT INTO policies (fingerprint, version, source, first_used_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [policy.fingerprint, policy.version, policy.source, atMicros])
    }

    /// The text of the policy with `fingerprint`, if it ever decided.
    func policySource(fingerprint: String, in db: any SQLConnection) throws -> String? {
        try db.queryValue("SELECT source FROM policies WHERE fingerprint = ?", [fingerprint], as: String.self)
    }

    // MARK: Carrier events

    /// Keeps a carrier event's id with the case and history entry that recorded it (the handler
    /// answers a known id before applying anything: ``carrierEventCase(_:in:)``).
    func keepCarrierEvent(_ eventID: String, caseID: String, seq: Int64, in db: any SQLConnection) throws {
        try db.execute(
            "INSERT INTO carrier_events (carrier_event_id, case_id, history_seq) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [eventID, caseID, seq])
    }

    func carrierEventCase(_ eventID: String, in db: any SQLConnection) throws -> String? {
        try db.queryValue("SELECT case_id FROM carrier_events WHERE carrier_event_id = ?", [eventID], as: String.self)
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
