import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit

/// The orders service's SQL: every method runs inside the caller's transaction (`db`), on either
/// driver of the database layer (SQLite through GRDB, PostgreSQL through postgres-nio). This file:
/// orders and their lines.
struct OrdersStore: Sendable {
    /// Inserts a new order and its lines.
    func insert(_ order: Aftercare_Orders_V1_Order, in db: any SQLConnection) throws {
        try db.execute(
            """
            INSERT INTO orders (
                order_id, buyer_id, seller_id, status, currency, shipping_fee_minor, total_minor, paid_minor,
                refunded_minor, payment_id, promised_delivery_at, paid_at, shipped_at, delivered_at, completed_at,
                cancelled_at, cancel_reason, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, '', ?, 0, 0, 0, 0, 0, '', ?, ?)
            """,
            [
                order.orderID, order.buyerID, order.sellerID, order.status.name, order.total.currency,
                order.shippingFee.amountMinor, order.total.amountMinor, order.promisedDeliveryUnixMicros,
                order.createdAtUnixMicros, order.updatedAtUnixMicros,
            ])
        for (index, line) in order.lines.enumerated() {
            try self.insert(line, orderID: order.orderID, lineNumber: index + 1, now: order.createdAtUnixMicros, in: db)
        }
    }

    /// Inserts one line of `orderID` at position `lineNumber`.
    func insert(_ line: Aftercare_Orders_V1_OrderLine, orderID: String, lineNumber: Int, now: Int64, in db: any SQLConnection) throws {
        try db.execute(
            """
            INSERT INTO order_lines (
                line_id, order_id, line_no, sku, title, category, option_label, quantity, unit_price_minor,
                refunded_quantity, returned_quantity, refunded_minor, exchanged_from_line_id, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                line.lineID, orderID, lineNumber, line.sku, line.title, line.category, line.option, line.quantity,
                line.unitPrice.amountMinor, line.refundedQuantity, line.returnedQuantity, line.refunded.amountMinor,
                line.exchangedFromLineID, now, now,
            ])
    }

    /// Writes an order's state, payment, refunded amount and timestamps (not its lines).
    func update(_ order: Aftercare_Orders_V1_Order, in db: any SQLConnection) throws {
        try db.execute(
            """
            UPDATE orders SET status = ?, paid_minor = ?, refunded_minor = ?, payment_id = ?, paid_at = ?, shipped_at = ?,
                delivered_at = ?, completed_at = ?, cancelled_at = ?, cancel_reason = ?, auto_complete_at = ?, updated_at = ?
            WHERE order_id = ?
            """,
            [
                order.status.name, order.paid.amountMinor, order.refunded.amountMinor, order.paymentID, order.paidAtUnixMicros,
                order.shippedAtUnixMicros, order.deliveredAtUnixMicros, order.completedAtUnixMicros, order.cancelledAtUnixMicros,
                order.cancelReason, order.autoCompleteAtUnixMicros, order.updatedAtUnixMicros, order.orderID,
            ])
    }

    /// Writes a line's product, quantity and refund bookkeeping.
    func update(_ line: Aftercare_Orders_V1_OrderLine, now: Int64, in db: any SQLConnection) throws {
        try db.execute(
            """
            UPDATE order_lines SET sku = ?, option_label = ?, quantity = ?, refunded_quantity = ?, returned_quantity = ?,
                refunded_minor = ?, updated_at = ?
            WHERE line_id = ?
            """,
            [
                line.sku, line.option, line.quantity, line.refundedQuantity, line.returnedQuantity, line.refunded.amountMinor, now,
                line.lineID,
            ])
    }

    /// Takes `orderID`'s row lock for the rest of the transaction, before anything of the order is
    /// read: on PostgreSQL a concurrent transaction locking the same order waits for this one to end
    /// (and, SERIALIZABLE, runs again on what it committed), so the checks against the order's books
    /// (what is refundable, a line's units, a reservation still open) never run side by side on one
    /// order. SQLite serializes every write anyway. `false` when there is no such order.
    @discardableResult
    func lockOrder(_ orderID: String, in db: any SQLConnection) throws -> Bool {
        try db.execute("UPDATE orders SET updated_at = updated_at WHERE order_id = ?", [orderID]) > 0
    }

    /// The order with its lines, its open reservations and committed exchanges summed in, or `nil`.
    func order(_ orderID: String, in db: any SQLConnection) throws -> Aftercare_Orders_V1_Order? {
        guard let row = try db.queryOne("SELECT * FROM orders WHERE order_id = ?", [orderID]) else { return nil }
        return try self.order(from: row, in: db)
    }

    /// The order, or NOT_FOUND naming `field`.
    func requireOrder(_ orderID: String, field: String = "order_id", in db: any SQLConnection) throws -> Aftercare_Orders_V1_Order {
        guard let order = try self.order(orderID, in: db) else { throw RPCError.notFound(field, kind: "order", id: orderID) }
        return order
    }

    /// Delivered orders whose automatic completion is due at `now`, soonest first, at most `limit`.
    func dueForCompletion(at now: Int64, limit: Int, in db: any SQLConnection) throws -> [String] {
        try db.queryValues(
            "SELECT order_id FROM orders WHERE status = 'delivered' AND auto_complete_at <= ? ORDER BY auto_complete_at, order_id LIMIT ?",
            [now, limit])
    }

    /// A page of a party's orders, newest first: `column` is `buyer_id` or `seller_id`.
    func orders(
        where column: PartyColumn, is partyID: String, statuses: [Aftercare_Orders_V1_OrderStatus], before cursor: String?, limit: Int,
        in db: any SQLConnection
    ) throws -> [Aftercare_Orders_V1_Order] {
        var sql = "SELECT * FROM orders WHERE \(column.rawValue) = ?"
        var arguments: [any SQLConvertible] = [partyID]
        if !statuses.isEmpty {
            sql += " AND status IN (\(sqlPlaceholders(count: statuses.count)))"
            arguments += statuses.map(\.name)
        }
        if let cursor {
            sql += " AND order_id < ?"
            arguments.append(cursor)
        }
        sql += " ORDER BY order_id DESC LIMIT ?"
        arguments.append(limit)
        return try db.query(sql, arguments).map { row in try self.order(from: row, in: db) }
    }

    /// The column a party's orders are found by.
    enum PartyColumn: String {
        case buyer = "buyer_id"
        case seller = "seller_id"
    }

    private func order(from row: SQLRow, in db: any SQLConnection) throws -> Aftercare_Orders_V1_Order {
        let orderID: String = try row["order_id"]
        let currency: String = try row["currency"]
        let statusName: String = try row["status"]
        guard let status = Aftercare_Orders_V1_OrderStatus(name: statusName) else {
            throw RPCError(.dataLoss, "order \(orderID) has an unknown status \(statusName)")
        }
        var order = Aftercare_Orders_V1_Order()
        order.orderID = orderID
        order.buyerID = try row["buyer_id"]
        order.sellerID = try row["seller_id"]
        order.status = status
        order.shippingFee = Aftercare_Common_V1_Money(try row["shipping_fee_minor"], currency)
        order.total = Aftercare_Common_V1_Money(try row["total_minor"], currency)
        order.paid = Aftercare_Common_V1_Money(try row["paid_minor"], currency)
        order.refunded = Aftercare_Common_V1_Money(try row["refunded_minor"], currency)
        order.paymentID = try row["payment_id"]
        order.promisedDeliveryUnixMicros = try row["promised_delivery_at"]
        order.paidAtUnixMicros = try row["paid_at"]
        order.shippedAtUnixMicros = try row["shipped_at"]
        order.deliveredAtUnixMicros = try row["delivered_at"]
        order.completedAtUnixMicros = try row["completed_at"]
        order.cancelledAtUnixMicros = try row["cancelled_at"]
        order.cancelReason = try row["cancel_reason"]
        order.autoCompleteAtUnixMicros = try row["auto_complete_at"]
        order.createdAtUnixMicros = try row["created_at"]
        order.updatedAtUnixMicros = try row["updated_at"]
        let reservedMinor =
            try db.queryValue(
                "SELECT COALESCE(SUM(amount_minor), 0) FROM reservations WHERE order_id = ? AND status = 'open' AND kind = 'amount'",
                [orderID], as: Int64.self) ?? 0
        order.reserved = Aftercare_Common_V1_Money(reservedMinor, currency)
        order.refundable = Aftercare_Common_V1_Money(order.refundBook.refundableMinor, currency)
        let reservedUnits = try Self.unitsByLine(
            """
            SELECT l.line_id AS line_id, SUM(l.quantity) AS quantity FROM reservation_lines l
            JOIN reservations r ON r.case_id = l.case_id
            WHERE r.order_id = ? AND r.status = 'open' GROUP BY l.line_id
            """, orderID, in: db)
        let exchangedUnits = try Self.unitsByLine(
            """
            SELECT line_id, SUM(quantity) AS quantity FROM reservations
            WHERE order_id = ? AND status = 'committed' AND kind = 'replacement' GROUP BY line_id
            """, orderID, in: db)
        order.lines = try db.query("SELECT * FROM order_lines WHERE order_id = ? ORDER BY line_no", [orderID]).map { row in
            var line = Aftercare_Orders_V1_OrderLine()
            line.lineID = try row["line_id"]
            line.sku = try row["sku"]
            line.title = try row["title"]
            line.category = try row["category"]
            line.option = try row["option_label"]
            line.quantity = try row["quantity"]
            line.unitPrice = Aftercare_Common_V1_Money(try row["unit_price_minor"], currency)
            line.refundedQuantity = try row["refunded_quantity"]
            line.returnedQuantity = try row["returned_quantity"]
            line.refunded = Aftercare_Common_V1_Money(try row["refunded_minor"], currency)
            line.reservedQuantity = reservedUnits[line.lineID] ?? 0
            line.exchangedFromLineID = try row["exchanged_from_line_id"]
            line.exchangedQuantity = exchangedUnits[line.lineID] ?? 0
            return line
        }
        return order
    }

    /// Units by line id, from a query of `line_id` and `quantity` (a sum) taking the order's id.
    private static func unitsByLine(_ sql: String, _ orderID: String, in db: any SQLConnection) throws -> [String: Int64] {
        try Dictionary(
            db.query(sql, [orderID]).map { row in (try row["line_id"] as String, try row["quantity"] as Int64) },
            uniquingKeysWith: +)
    }

    /// How many lines `orderID` has (the next line's position is one more).
    func lineCount(_ orderID: String, in db: any SQLConnection) throws -> Int {
        try db.queryValue("SELECT COUNT(*) FROM order_lines WHERE order_id = ?", [orderID], as: Int.self) ?? 0
    }
}
