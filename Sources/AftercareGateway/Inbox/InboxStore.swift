import AftercareRPC
import AftercareServiceKit

/// The inboxes' SQL (portable to PostgreSQL): `inbox_heads` each inbox's newest position,
/// `inbox_items` the items (one per inbox and event: `UNIQUE (owner, event_id)`, which also finds
/// an event delivered before).
struct InboxStore: Sendable {
    /// Registers the inboxes' tables in the gateway's migrations.
    static func register(in migrations: inout SQLMigrations) {
        migrations.register("gateway-inboxes-v1") { db in
            try db.executeScript(
                """
                    CREATE TABLE inbox_events (
                        event_id TEXT PRIMARY KEY,
                        source TEXT NOT NULL,
                        source_seq BIGINT NOT NULL,
                        type TEXT NOT NULL,
                        delivered_at BIGINT NOT NULL
                    );
                    CREATE TABLE inbox_heads (
                        owner TEXT PRIMARY KEY,
                        head BIGINT NOT NULL
                    );
                    CREATE TABLE inbox_items (
                        owner TEXT NOT NULL,
                        position BIGINT NOT NULL,
                        event_id TEXT NOT NULL,
                        source TEXT NOT NULL,
                        source_seq BIGINT NOT NULL,
                        type TEXT NOT NULL,
                        occurred_at BIGINT NOT NULL,
                        order_id TEXT NOT NULL,
                        payment_id TEXT NOT NULL,
                        refund_id TEXT NOT NULL,
                        shipment_id TEXT NOT NULL,
                        case_id TEXT NOT NULL,
                        summary TEXT NOT NULL,
                        delivered_at BIGINT NOT NULL,
                        read_at BIGINT,
                        PRIMARY KEY (owner, position),
                        UNIQUE (owner, event_id)
                    );
                    CREATE INDEX inbox_items_unread ON inbox_items (owner, read_at);
                    """)
        }
        // Every feed event was claimed here before its items were written, one more insert per
        // event; an event's item in its first inbox now tells a repeat.
        migrations.register("gateway-inboxes-v2-no-claims") { db in
            try db.executeScript("DROP TABLE inbox_events;")
        }
    }

    /// What a writer of `owner`'s inbox holds from taking a position to its commit.
    static func lockKey(_ owner: InboxOwner) -> SQLLockKey {
        SQLLockKey("inbox_heads:\(owner.key)")
    }

    /// Whether `owner`'s inbox holds the item of event `eventID`.
    func holds(_ owner: InboxOwner, eventID: String, in db: any SQLConnection) throws -> Bool {
        try db.queryOne("SELECT 1 FROM inbox_items WHERE owner = ? AND event_id = ?", [owner.key, eventID]) != nil
    }

    /// Takes `count` positions of each inbox in `counts`, one upsert per inbox (in lock key
    /// order), under the inbox's lock key (a page takes its inboxes' keys first, in key order:
    /// ``Inboxes``); answers each inbox's first position taken, its old head + 1. The upsert locks
    /// the inbox's head row and returns the new head, stepped to its end, so no write statement is
    /// left open; the count is a bound argument, so the statement stays one cached statement.
    func takePositions(_ counts: [InboxOwner: Int64], in db: any SQLConnection) throws -> [InboxOwner: Int64] {
        var first: [InboxOwner: Int64] = [:]
        for (owner, count) in counts.sorted(by: { Self.lockKey($0.key) < Self.lockKey($1.key) }) {
            try db.serialize(on: Self.lockKey(owner))
            let head = try db.queryValue(
                "INSERT INTO inbox_heads (owner, head) VALUES (?, ?) ON CONFLICT (owner) DO UPDATE SET head = inbox_heads.head + ? RETURNING head",
                [owner.key, count, count], as: Int64.self) ?? count
            first[owner] = head - count + 1
        }
        return first
    }

    func insert(_ item: InboxItem, in db: any SQLConnection) throws {
        try db.execute("""
                INSERT INTO inbox_items (
                    owner, position, event_id, source, source_seq, type, occurred_at, order_id, payment_id, refund_id, shipment_id,
                    case_id, summary, delivered_at, read_at
                ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            [
                item.owner.key, item.position, item.eventID, item.source, item.sourceSeq, item.type, item.occurredAtMicros,
                item.subjects.orderID, item.subjects.paymentID, item.subjects.refundID, item.subjects.shipmentID, item.subjects.caseID,
                item.summary, item.deliveredAtMicros, item.readAtMicros,
            ])
    }

    func items(_ owner: InboxOwner, after position: Int64, limit: Int, in db: any SQLConnection) throws -> [InboxItem] {
        try db.query("""
                SELECT position, event_id, source, source_seq, type, occurred_at, order_id, payment_id, refund_id, shipment_id, case_id,
                    summary, delivered_at, read_at
                FROM inbox_items WHERE owner = ? AND position > ? ORDER BY position LIMIT ?
                """,
            [owner.key, position, limit]
        ).map { row in
            var subjects = Aftercare_Common_V1_EventSubjects()
            subjects.orderID = try row["order_id"]
            subjects.paymentID = try row["payment_id"]
            subjects.refundID = try row["refund_id"]
            subjects.shipmentID = try row["shipment_id"]
            subjects.caseID = try row["case_id"]
            return InboxItem(
                owner: owner, position: try row["position"], eventID: try row["event_id"], source: try row["source"],
                sourceSeq: try row["source_seq"], type: try row["type"], occurredAtMicros: try row["occurred_at"], subjects: subjects,
                summary: try row["summary"], deliveredAtMicros: try row["delivered_at"], readAtMicros: try row["read_at"])
        }
    }

    func head(_ owner: InboxOwner, in db: any SQLConnection) throws -> Int64 {
        try db.queryValue("SELECT head FROM inbox_heads WHERE owner = ?", [owner.key], as: Int64.self) ?? 0
    }

    func unreadCount(_ owner: InboxOwner, in db: any SQLConnection) throws -> Int {
        try db.queryValue("SELECT COUNT(*) FROM inbox_items WHERE owner = ? AND read_at IS NULL", [owner.key], as: Int.self) ?? 0
    }

    /// Marks the unread items at `positions` read at `now`; answers how many changed.
    func markRead(_ owner: InboxOwner, positions: [Int64], atMicros now: Int64, in db: any SQLConnection) throws -> Int {
        guard !positions.isEmpty else { return 0 }
        return try db.execute(
            """
            UPDATE inbox_items SET read_at = ?
            WHERE owner = ? AND read_at IS NULL AND position IN (\(sqlPlaceholders(count: positions.count)))
            """,
            [now, owner.key] + positions.map { $0 as any SQLConvertible })
    }
}
