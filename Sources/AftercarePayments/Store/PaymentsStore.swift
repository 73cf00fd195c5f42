import AftercareServiceKit
import AftercareRPC
import GRDB

/// Every SQL statement on payments' tables (``AftercareServiceKit/SQLMigrations/payments``), each
/// taking the caller's `Database` (so a caller composes them into one transaction).
enum PaymentsStore {
    // MARK: Payments

    static func insert(_ payment: PaymentRecord, in db: Database) throws {
        try db.cachedStatement(sql: """
                INSERT INTO payments (payment_id, idempotency_key, order_id, buyer_id, seller_id, amount_minor, currency, channel,
                    status, provider_reference, failure_reason, refund_lock, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)
                """).execute(
            arguments: [
                payment.paymentID, payment.idempotencyKey, payment.orderID, payment.buyerID, payment.sellerID, payment.amount.amountMinor,
                payment.amount.currency, payment.channel.rawValue, payment.status.rawValue, payment.providerReference, payment.failureReason,
                payment.createdAtMicros, payment.updatedAtMicros,
            ])
    }

    static func payment(id: String, in db: Database) throws -> PaymentRecord? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM payments WHERE payment_id = ?"), arguments: [id]).map(Self.payment)
    }

    static func payment(idempotencyKey: String, in db: Database) throws -> PaymentRecord? {
        try Row.fetchOne(
            try db.cachedStatement(sql: "SELECT * FROM payments WHERE idempotency_key = ?"), arguments: [idempotencyKey]).map(Self.payment)
    }

    /// The order's payments, oldest first.
    static func payments(orderID: String, in db: Database) throws -> [PaymentRecord] {
        try Row.fetchAll(
            try db.cachedStatement(sql: "SELECT * FROM payments WHERE order_id = ? ORDER BY created_at, payment_id"), arguments: [orderID])
            .map(Self.payment)
    }

    /// Up to `limit` pending payments, oldest first.
    static func pendingPayments(limit: Int, in db: Database) throws -> [PaymentRecord] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM payments WHERE status = ? ORDER BY created_at, payment_id LIMIT ?",
            arguments: [PaymentStatus.pending.rawValue, limit]
        ).map(Self.payment)
    }

    /// Moves a pending payment to `status` and ends its lease; `false` if it was no longer pending
    /// (someone settled it).
    static func settle(
        paymentID: String, status: PaymentStatus, providerReference: String, failureReason: String, atMicros now: Int64, in db: Database
    ) throws -> Bool {
        try db.cachedStatement(sql: """
                UPDATE payments SET status = ?, provider_reference = ?, failure_reason = ?, updated_at = ?, lease_owner = '',
                    lease_expires_at = 0
                WHERE payment_id = ? AND status = ?
                """).execute(
            arguments: [status.rawValue, providerReference, failureReason, now, paymentID, PaymentStatus.pending.rawValue])
        return db.changesCount == 1
    }

    /// Takes the payment's row for the rest of the transaction, so concurrent refund intents of one
    /// payment check its limit one after the other (a row lock on PostgreSQL; SQLite serializes
    /// every write anyway). `false` if there is no such payment.
    static func lockForRefund(paymentID: String, in db: Database) throws -> Bool {
        try db.cachedStatement(sql: "UPDATE payments SET refund_lock = refund_lock + 1 WHERE payment_id = ?").execute(arguments: [paymentID])
        return db.changesCount == 1
    }

    private static func payment(_ row: Row) throws -> PaymentRecord {
        PaymentRecord(
            paymentID: row["payment_id"], idempotencyKey: row["idempotency_key"], orderID: row["order_id"], buyerID: row["buyer_id"],
            sellerID: row["seller_id"], amount: Aftercare_Common_V1_Money(row["amount_minor"], row["currency"]),
            channel: try Self.decode(row["channel"], "channel"), status: try Self.decode(row["status"], "payment status"),
            providerReference: row["provider_reference"], failureReason: row["failure_reason"], createdAtMicros: row["created_at"],
            updatedAtMicros: row["updated_at"])
    }

    // MARK: Refunds

    static func insert(_ refund: RefundRecord, in db: Database) throws {
        try db.cachedStatement(sql: """
                INSERT INTO refunds (refund_id, intent_key, payment_id, order_id, buyer_id, seller_id, amount_minor, currency, channel,
                    reason, charge_reference, manual_reference, status, failure_reason, provider_reference, saga_id, saga_step, trace_id,
                    created_at, updated_at, settled_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(
            arguments: [
                refund.refundID, refund.intentKey, refund.paymentID, refund.orderID, refund.buyerID, refund.sellerID, refund.amount.amountMinor,
                refund.amount.currency, refund.channel.rawValue, refund.reason, refund.chargeReference, refund.manualReference,
                refund.status.rawValue, refund.failureReason, refund.providerReference, refund.sagaID, refund.sagaStep, refund.traceID,
                refund.createdAtMicros, refund.updatedAtMicros, refund.settledAtMicros,
            ])
    }

    static func refund(id: String, in db: Database) throws -> RefundRecord? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM refunds WHERE refund_id = ?"), arguments: [id]).map(Self.refund)
    }

    static func refund(intentKey: String, in db: Database) throws -> RefundRecord? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM refunds WHERE intent_key = ?"), arguments: [intentKey]).map(Self.refund)
    }

    /// The payment's refunds, oldest first.
    static func refunds(paymentID: String, in db: Database) throws -> [RefundRecord] {
        try Row.fetchAll(
            try db.cachedStatement(sql: "SELECT * FROM refunds WHERE payment_id = ? ORDER BY created_at, refund_id"), arguments: [paymentID])
            .map(Self.refund)
    }

    /// The sums of a payment's refunds by status, in SQL (an index range, not every row):
    /// succeeded and pending. They never exceed the captured amount, so they fit an Int64 (PostgreSQL
    /// sums BIGINT as NUMERIC: a PostgreSQL store casts).
    static func refundSums(paymentID: String, in db: Database) throws -> (succeeded: Int64, pending: Int64) {
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT status, SUM(amount_minor) AS total FROM refunds WHERE payment_id = ? AND status IN (?, ?) GROUP BY status"),
            arguments: [paymentID, RefundStatus.succeeded.rawValue, RefundStatus.pending.rawValue])
        var sums: (succeeded: Int64, pending: Int64) = (0, 0)
        for row in rows {
            let status: String = row["status"]
            let total: Int64 = row["total"]
            if status == RefundStatus.succeeded.rawValue { sums.succeeded = total } else { sums.pending = total }
        }
        return sums
    }

    /// Up to `limit` pending refund intents, oldest first.
    static func pendingRefunds(limit: Int, in db: Database) throws -> [RefundRecord] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM refunds WHERE status = ? ORDER BY created_at, refund_id LIMIT ?",
            arguments: [RefundStatus.pending.rawValue, limit]
        ).map(Self.refund)
    }

    /// Moves a pending refund to `status` and ends its lease; `false` if it was no longer pending
    /// (someone settled it).
    static func settle(
        refundID: String, status: RefundStatus, providerReference: String, failureReason: String, atMicros now: Int64, in db: Database
    ) throws -> Bool {
        try db.cachedStatement(sql: """
                UPDATE refunds SET status = ?, provider_reference = ?, failure_reason = ?, updated_at = ?, settled_at = ?,
                    lease_owner = '', lease_expires_at = 0
                WHERE refund_id = ? AND status = ?
                """).execute(
            arguments: [status.rawValue, providerReference, failureReason, now, now, refundID, RefundStatus.pending.rawValue])
        return db.changesCount == 1
    }

    private static func refund(_ row: Row) throws -> RefundRecord {
        RefundRecord(
            refundID: row["refund_id"], intentKey: row["intent_key"], paymentID: row["payment_id"], orderID: row["order_id"],
            buyerID: row["buyer_id"], sellerID: row["seller_id"], amount: Aftercare_Common_V1_Money(row["amount_minor"], row["currency"]),
            channel: try Self.decode(row["channel"], "channel"), reason: row["reason"], chargeReference: row["charge_reference"],
            manualReference: row["manual_reference"], status: try Self.decode(row["status"], "refund status"),
            failureReason: row["failure_reason"], providerReference: row["provider_reference"], sagaID: row["saga_id"],
            sagaStep: row["saga_step"], traceID: row["trace_id"], createdAtMicros: row["created_at"], updatedAtMicros: row["updated_at"],
            settledAtMicros: row["settled_at"])
    }

    // MARK: Leases

    /// Takes the lease of the pending `row` for `owner` until `untilMicros`, in one conditional
    /// UPDATE: only if nobody holds it or its holder's lease expired by `nowMicros`. `false` if
    /// another holder's lease is live, or the row is no longer pending (or does not exist).
    static func takeLease(
        _ row: LeasedRow, id: String, owner: String, nowMicros: Int64, untilMicros: Int64, in db: Database
    ) throws -> Bool {
        try db.cachedStatement(sql: row.takeSQL).execute(arguments: [owner, untilMicros, id, row.pending, nowMicros])
        return db.changesCount == 1
    }

    /// Ends `owner`'s lease of `row`; nothing if another holder took it over meanwhile.
    static func releaseLease(_ row: LeasedRow, id: String, owner: String, in db: Database) throws {
        try db.cachedStatement(sql: row.releaseSQL).execute(arguments: [id, owner])
    }

    /// Ends every lease: at the start of the only process of the database, whose earlier
    /// processes are all gone (their leases held nothing any more).
    static func releaseEveryLease(in db: Database) throws -> Int {
        var released = 0
        for row in [LeasedRow.payment, .refund] {
            try db.execute(sql: "UPDATE \(row.table) SET lease_owner = '', lease_expires_at = 0 WHERE lease_owner <> ''")
            released += db.changesCount
        }
        return released
    }

    /// The holder of `row`'s lease and when it expires; `nil` when there is no such row.
    static func lease(_ row: LeasedRow, id: String, in db: Database) throws -> (owner: String, expiresAtMicros: Int64)? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT lease_owner, lease_expires_at FROM \(row.table) WHERE \(row.idColumn) = ?"), arguments: [id]
        ).map { row in (row["lease_owner"], row["lease_expires_at"]) }
    }

    private static func decode<Value: RawRepresentable<String>>(_ text: String, _ what: String) throws -> Value {
        guard let value = Value(rawValue: text) else { throw RPCError(.dataLoss, "payments database holds an unknown \(what) \(text)") }
        return value
    }
}
