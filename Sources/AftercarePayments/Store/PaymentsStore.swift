import AftercareRPC
import AftercareServiceKit

/// Payments' SQL: every statement on its tables, each method taking the caller's transaction (so a
/// caller composes them into one), on either driver of the database layer (SQLite through GRDB,
/// PostgreSQL through postgres-nio). The tables: ``AftercareServiceKit/SQLMigrations/payments``.
enum PaymentsStore {

    // MARK: Payments

    /// Inserts a payment. The database refuses a second payment under one idempotency key, and a
    /// second pending or captured payment of one order (`payments_live_by_order`), whatever the
    /// caller read before.
    static func insert(_ payment: PaymentRecord, in db: any SQLConnection) throws {
        try db.execute(
            """
            INSERT INTO payments (payment_id, idempotency_key, order_id, buyer_id, seller_id, amount_minor, currency, channel,
                status, provider_reference, failure_reason, refund_lock, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)
            """,
            [
                payment.paymentID, payment.idempotencyKey, payment.orderID, payment.buyerID, payment.sellerID, payment.amount.amountMinor,
                payment.amount.currency, payment.channel.rawValue, payment.status.rawValue, payment.providerReference, payment.failureReason,
                payment.createdAtMicros, payment.updatedAtMicros,
            ])
    }

    /// Holds, to the end of the transaction, the lock of a `Pay` under `key` and of `orderID`'s
    /// payments, in that order: a second call under the key (or for the order) waits here until
    /// the first committed, then finds its payment, where the unique indexes alone would fail it.
    static func lockPay(key: String, orderID: String, in db: any SQLConnection) throws {
        try db.serialize(on: SQLLockKey("payments.idempotency_key:\(key)"))
        try db.serialize(on: SQLLockKey("payments.order_id:\(orderID)"))
    }

    static func payment(id: String, in db: any SQLConnection) throws -> PaymentRecord? {
        try db.queryOne("SELECT * FROM payments WHERE payment_id = ?", [id]).map(Self.payment)
    }

    static func payment(idempotencyKey: String, in db: any SQLConnection) throws -> PaymentRecord? {
        try db.queryOne("SELECT * FROM payments WHERE idempotency_key = ?", [idempotencyKey]).map(Self.payment)
    }

    /// The order's payments, oldest first.
    static func payments(orderID: String, in db: any SQLConnection) throws -> [PaymentRecord] {
        try db.query("SELECT * FROM payments WHERE order_id = ? ORDER BY created_at, payment_id", [orderID]).map(Self.payment)
    }

    /// Up to `limit` pending payments, oldest first.
    static func pendingPayments(limit: Int, in db: any SQLConnection) throws -> [PaymentRecord] {
        try db.query("SELECT * FROM payments WHERE status = ? ORDER BY created_at, payment_id LIMIT ?", [PaymentStatus.pending.rawValue, limit])
            .map(Self.payment)
    }

    /// Moves a pending payment to `status` and ends its lease; `false` if it was no longer pending
    /// (someone settled it).
    static func settle(
        paymentID: String, status: PaymentStatus, providerReference: String, failureReason: String, atMicros now: Int64,
        in db: any SQLConnection
    ) throws -> Bool {
        try db.execute(
            """
            UPDATE payments SET status = ?, provider_reference = ?, failure_reason = ?, updated_at = ?, lease_owner = '',
                lease_expires_at = 0
            WHERE payment_id = ? AND status = ?
            """,
            [status.rawValue, providerReference, failureReason, now, paymentID, PaymentStatus.pending.rawValue]) == 1
    }

    /// Takes the payment's row for the rest of the transaction, so concurrent refund intents of one
    /// payment check its limit one after the other (a row lock on PostgreSQL; SQLite serializes
    /// every write anyway). `false` if there is no such payment.
    static func lockForRefund(paymentID: String, in db: any SQLConnection) throws -> Bool {
        try db.execute("UPDATE payments SET refund_lock = refund_lock + 1 WHERE payment_id = ?", [paymentID]) == 1
    }

    private static func payment(_ row: SQLRow) throws -> PaymentRecord {
        try PaymentRecord(
            paymentID: row["payment_id"], idempotencyKey: row["idempotency_key"], orderID: row["order_id"], buyerID: row["buyer_id"],
            sellerID: row["seller_id"], amount: Aftercare_Common_V1_Money(row["amount_minor"], row["currency"]),
            channel: Self.decode(row["channel"], "channel"), status: Self.decode(row["status"], "payment status"),
            providerReference: row["provider_reference"], failureReason: row["failure_reason"], createdAtMicros: row["created_at"],
            updatedAtMicros: row["updated_at"])
    }

    // MARK: Refunds

    /// Inserts a refund intent. The database refuses a second intent under one intent key, whatever
    /// the caller read before.
    static func insert(_ refund: RefundRecord, in db: any SQLConnection) throws {
        try db.execute(
            """
            INSERT INTO refunds (refund_id, intent_key, payment_id, order_id, buyer_id, seller_id, amount_minor, currency, channel,
                reason, charge_reference, manual_reference, status, failure_reason, provider_reference, saga_id, saga_step, trace_id,
                created_at, updated_at, settled_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                refund.refundID, refund.intentKey, refund.paymentID, refund.orderID, refund.buyerID, refund.sellerID, refund.amount.amountMinor,
                refund.amount.currency, refund.channel.rawValue, refund.reason, refund.chargeReference, refund.manualReference,
                refund.status.rawValue, refund.failureReason, refund.providerReference, refund.sagaID, refund.sagaStep, refund.traceID,
                refund.createdAtMicros, refund.updatedAtMicros, refund.settledAtMicros,
            ])
    }

    static func refund(id: String, in db: any SQLConnection) throws -> RefundRecord? {
        try db.queryOne("SELECT * FROM refunds WHERE refund_id = ?", [id]).map(Self.refund)
    }

    /// Holds, to the end of the transaction, the lock of the refund intent under `intentKey`: a
    /// second call under the key waits here until the first committed, then finds its intent,
    /// instead of counting it against the payment's refundable amount and refusing.
    static func lockRefundIntent(key intentKey: String, in db: any SQLConnection) throws {
        try db.serialize(on: SQLLockKey("refunds.intent_key:\(intentKey)"))
    }

    static func refund(intentKey: String, in db: any SQLConnection) throws -> RefundRecord? {
        try db.queryOne("SELECT * FROM refunds WHERE intent_key = ?", [intentKey]).map(Self.refund)
    }

    /// The payment's refunds, oldest first.
    static func refunds(paymentID: String, in db: any SQLConnection) throws -> [RefundRecord] {
        try db.query("SELECT * FROM refunds WHERE payment_id = ? ORDER BY created_at, refund_id", [paymentID]).map(Self.refund)
    }

    /// The sums of a payment's refunds by status, in SQL (an index range, not every row):
    /// succeeded and pending. They never exceed the captured amount, so they fit an Int64 (the layer
    /// reads PostgreSQL's NUMERIC sum as one).
    static func refundSums(paymentID: String, in db: any SQLConnection) throws -> (succeeded: Int64, pending: Int64) {
        let rows = try db.query(
            "SELECT status, SUM(amount_minor) AS total FROM refunds WHERE payment_id = ? AND status IN (?, ?) GROUP BY status",
            [paymentID, RefundStatus.succeeded.rawValue, RefundStatus.pending.rawValue])
        var sums: (succeeded: Int64, pending: Int64) = (0, 0)
        for row in rows {
            let status: String = try row["status"]
            let total: Int64 = try row["total"]
            if status == RefundStatus.succeeded.rawValue { sums.succeeded = total } else { sums.pending = total }
        }
        return sums
    }

    /// Up to `limit` pending refund intents, oldest first.
    static func pendingRefunds(limit: Int, in db: any SQLConnection) throws -> [RefundRecord] {
        try db.query("SELECT * FROM refunds WHERE status = ? ORDER BY created_at, refund_id LIMIT ?", [RefundStatus.pending.rawValue, limit])
            .map(Self.refund)
    }

    /// Moves a pending refund to `status` and ends its lease; `false` if it was no longer pending
    /// (someone settled it).
    static func settle(
        refundID: String, status: RefundStatus, providerReference: String, failureReason: String, atMicros now: Int64,
        in db: any SQLConnection
    ) throws -> Bool {
        try db.execute(
            """
            UPDATE refunds SET status = ?, provider_reference = ?, failure_reason = ?, updated_at = ?, settled_at = ?,
                lease_owner = '', lease_expires_at = 0
            WHERE refund_id = ? AND status = ?
            """,
            [status.rawValue, providerReference, failureReason, now, now, refundID, RefundStatus.pending.rawValue]) == 1
    }

    private static func refund(_ row: SQLRow) throws -> RefundRecord {
        try RefundRecord(
            refundID: row["refund_id"], intentKey: row["intent_key"], paymentID: row["payment_id"], orderID: row["order_id"],
            buyerID: row["buyer_id"], sellerID: row["seller_id"], amount: Aftercare_Common_V1_Money(row["amount_minor"], row["currency"]),
            channel: Self.decode(row["channel"], "channel"), reason: row["reason"], chargeReference: row["charge_reference"],
            manualReference: row["manual_reference"], status: Self.decode(row["status"], "refund status"),
            failureReason: row["failure_reason"], providerReference: row["provider_reference"], sagaID: row["saga_id"],
            sagaStep: row["saga_step"], traceID: row["trace_id"], createdAtMicros: row["created_at"], updatedAtMicros: row["updated_at"],
            settledAtMicros: row["settled_at"])
    }

    // MARK: Leases

    /// Takes the lease of the pending `row` for `owner` until `untilMicros`, in one conditional
    /// UPDATE: only if nobody holds it or its holder's lease expired by `nowMicros`. `false` if
    /// another holder's lease is live, or the row is no longer pending (or does not exist).
    static func takeLease(
        _ row: LeasedRow, id: String, owner: String, nowMicros: Int64, untilMicros: Int64, in db: any SQLConnection
    ) throws -> Bool {
        try db.execute(row.takeSQL, [owner, untilMicros, id, row.pending, nowMicros]) == 1
    }

    /// Ends `owner`'s lease of `row`; nothing if another holder took it over meanwhile.
    static func releaseLease(_ row: LeasedRow, id: String, owner: String, in db: any SQLConnection) throws {
        try db.execute(row.releaseSQL, [id, owner])
    }

    /// Ends the leases held under instance name `instance` (`<instance>#<n>`): a process restarted
    /// under that name takes its predecessor's back.
    static func releaseLeases(ofInstance instance: String, in db: any SQLConnection) throws -> Int {
        let prefix = "\(instance)#"
        var released = 0
        for row in [LeasedRow.payment, .refund] {
            released += try db.execute(row.releasePrefixedSQL, [prefix, prefix])
        }
        return released
    }

    /// Ends every lease: at the start of the only process of the database, whose earlier
    /// processes are all gone (their leases held nothing any more).
    static func releaseEveryLease(in db: any SQLConnection) throws -> Int {
        var released = 0
        for row in [LeasedRow.payment, .refund] {
            released += try db.execute(row.releaseEverySQL)
        }
        return released
    }

    /// The holder of `row`'s lease and when it expires; `nil` when there is no such row.
    static func lease(_ row: LeasedRow, id: String, in db: any SQLConnection) throws -> (owner: String, expiresAtMicros: Int64)? {
        try db.queryOne(row.leaseSQL, [id]).map { row in (try row["lease_owner"], try row["lease_expires_at"]) }
    }

    private static func decode<Value: RawRepresentable<String>>(_ text: String, _ what: String) throws -> Value {
        guard let value = Value(rawValue: text) else { throw RPCError(.dataLoss, "payments database holds an unknown \(what) \(text)") }
        return value
    }
}
