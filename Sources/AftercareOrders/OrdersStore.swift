import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit
import GRDB

/// The orders service's SQL, behind one small type so that a PostgreSQL store could replace it:
/// every method runs inside the caller's transaction (`db`). This file: orders and their lines.
struct OrdersStore: Sendable {
    /// Inserts a new order and its lines.
    func insert(_ order: Aftercare_Orders_V1_Order, in db: Database) throws {
        try db.cachedStatement(sql: """
                INSERT INTO orders (
                    order_id, buyer_id, seller_id, status, currency, shipping_fee_minor, total_minor, paid_minor,
                    refunded_minor, payment_id, promised_delivery_at, paid_at, shipped_at, delivered_at, completed_at,
                    cancelled_at, cancel_reason, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, '', ?, 0, 0, 0, 0, 0, '', ?, ?)
                """).execute(
            arguments: [
                order.orderID, order.buyerID, order.sellerID, order.status.name, order.total.currency,
                order.shippingFee.amountMinor, order.total.amountMinor, order.promisedDeliveryUnixMicros,
                order.createdAtUnixMicros, order.updatedAtUnixMicros,
            ])
        for (index, line) in order.lines.enumerated() {
            try self.insert(line, orderID: order.orderID, lineNumber: index + 1, now: order.createdAtUnixMicros, in: db)
        }
    }

    /// Inserts one line of `orderID` at position `lineNumber`.
    func insert(_ line: Aftercare_Orders_V1_OrderLine, orderID: String, lineNumber: Int, now: Int64, in db: Database) throws {
        try db.cachedStatement(sql: """
                INSERT INTO order_lines (
                    line_id, order_id, line_no, sku, title, category, option_label, quantity, unit_price_minor,
                    refunded_quantity, returned_quantity, refunded_minor, exchanged_from_line_id, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(
            arguments: [
                line.lineID, orderID, lineNumber, line.sku, line.title, line.category, line.option, line.quantity,
                line.unitPrice.amountMinor, line.refundedQuantity, line.returnedQuantity, line.refunded.amountMinor,
                line.exchangedFromLineID, now, now,
            ])
    }

    /// Writes an order's state, payment, refunded amount and timestamps (not its lines).
    func update(_ order: Aftercare_Orders_V1_Order, in db: Database) throws {
        try db.cachedStatement(sql: """
                UPDATE orders SET status = ?, paid_minor = ?, refunded_minor = ?, payment_id = ?, paid_at = ?, shipped_at = ?,
                    delivered_at = ?, completed_at = ?, cancelled_at = ?, cancel_reason = ?, auto_complete_at = ?, updated_at = ?
                WHERE order_id = ?
                """).execute(
            arguments: [
                order.status.name, order.paid.amountMinor, order.refunded.amountMinor, order.paymentID, order.paidAtUnixMicros,
                order.shippedAtUnixMicros, order.deliveredAtUnixMicros, order.completedAtUnixMicros, order.cancelledAtUnixMicros,
                order.cancelReason, order.autoCompleteAtUnixMicros, order.updatedAtUnixMicros, order.orderID,
            ])
    }

    /// Writes a line's product, quantity and refund bookkeeping.
    func update(_ line: Aftercare_Orders_V1_OrderLine, now: Int64, in db: Database) throws {
        try db.cachedStatement(sql: """
                UPDATE order_lines SET sku = ?, option_label = ?, quantity = ?, refunded_quantity = ?, returned_quantity = ?,
                    refunded_minor = ?, updated_at = ?
                WHERE line_id = ?
                """).execute(
            arguments: [
                line.sku, line.option, line.quantity, line.refundedQuantity, line.returnedQuantity, line.refunded.amountMinor, now,
                line.lineID,
            ])
    }

    /// The order with its lines, its open reservations and committed exchanges summed in, or `nil`.
    func order(_ orderID: String, in db: Database) throws -> Aftercare_Orders_V1_Order? {
        guard let row = try Row.fetchOne(
            try db.cachedStatement(sql: "SELECT * FROM orders WHERE order_id = ?"), arguments: [orderID]) else { return nil }
        return try self.order(from: row, in: db)
    }

    /// The order, or NOT_FOUND naming `field`.
    func requireOrder(_ orderID: String, field: String = "order_id", in db: Database) throws -> Aftercare_Orders_V1_Order {
        guard let order = try self.order(orderID, in: db) else { throw RPCError.notFound(field, kind: "order", id: orderID) }
        return order
    }

    /// Delivered orders whose automatic completion is due at `now`, soonest first, at most `limit`.
    func dueForCompletion(at now: Int64, limit: Int, in db: Database) throws -> [String] {
        try String.fetchAll(
            db.cachedStatement(
                sql: "SELECT order_id FROM orders WHERE status = 'delivered' AND auto_complete_at <= ? ORDER BY auto_complete_at, order_id LIMIT ?"),
            arguments: [now, limit])
    }

    /// A page of a party's orders, newest first: `column` is `buyer_id` or `seller_id`.
    func orders(
        where column: PartyColumn, is partyID: String, statuses: [Aftercare_Orders_V1_OrderStatus], before cursor: String?, limit: Int,
        in db: Database
    ) throws -> [Aftercare_Orders_V1_Order] {
        var sql = "SELECT * FROM orders WHERE \(column.rawValue) = ?"
        var arguments: StatementArguments = [partyID]
        if !statuses.isEmpty {
            sql += " AND status IN (\(databaseQuestionMarks(count: statuses.count)))"
            arguments += StatementArguments(statuses.map(\.name))
        }
        if let cursor {
            sql += " AND order_id < ?"
            arguments += [cursor]
        }
        sql += " ORDER BY order_id DESC LIMIT ?"
        arguments += [limit]
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in try self.order(from: row, in: db) }
    }

    /// The column a party's orders are found by.
    enum PartyColumn: String {
        case buyer = "buyer_id"
        case seller = "seller_id"
    }

    private func order(from row: Row, in db: Database) throws -> Aftercare_Orders_V1_Order {
        let orderID: String = row["order_id"]
        let currency: String = row["currency"]
        let statusName: String = row["status"]
        guard let status = Aftercare_Orders_V1_OrderStatus(name: statusName) else {
            throw RPCError(.dataLoss, "order \(orderID) has an unknown status \(statusName)")
        }
        var order = Aftercare_Orders_V1_Order()
        order.orderID = orderID
        order.buyerID = row["buyer_id"]
        order.sellerID = row["seller_id"]
        order.status = status
        order.shippingFee = Aftercare_Common_V1_Money(row["shipping_fee_minor"], currency)
        order.total = Aftercare_Common_V1_Money(row["total_minor"], currency)
        order.paid = Aftercare_Common_V1_Money(row["paid_minor"], currency)
        order.refunded = Aftercare_Common_V1_Money(row["refunded_minor"], currency)
        order.paymentID = row["payment_id"]
        order.promisedDeliveryUnixMicros = row["promised_delivery_at"]
        order.paidAtUnixMicros = row["paid_at"]
        order.shippedAtUnixMicros = row["shipped_at"]
        order.deliveredAtUnixMicros = row["delivered_at"]
        order.completedAtUnixMicros = row["completed_at"]
        order.cancelledAtUnixMicros = row["cancelled_at"]
        order.cancelReason = row["cancel_reason"]
        order.autoCompleteAtUnixMicros = row["auto_complete_at"]
        order.createdAtUnixMicros = row["created_at"]
        order.updatedAtUnixMicros = row["updated_at"]
        let reservedMinor = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT COALESCE(SUM(amount_minor), 0) FROM reservations WHERE order_id = ? AND status = 'open' AND kind = 'amount'"),
            arguments: [orderID]) ?? 0
        order.reserved = Aftercare_Common_V1_Money(reservedMinor, currency)
        order.refundable = Aftercare_Common_V1_Money(order.refundBook.refundableMinor, currency)
        let reservedUnits = try Dictionary(
            Row.fetchAll(
                db.cachedStatement(sql: """
                    SELECT l.line_id AS line_id, SUM(l.quantity) AS quantity FROM reservation_lines l
                    JOIN reservations r ON r.case_id = l.case_id
                    WHERE r.order_id = ? AND r.status = 'open' GROUP BY l.line_id
                    """),
                arguments: [orderID]
            ).map { row in (row["line_id"] as String, row["quantity"] as Int64) },
            uniquingKeysWith: +)
        let exchangedUnits = try Dictionary(
            Row.fetchAll(
                db.cachedStatement(sql: """
                    SELECT line_id, SUM(quantity) AS quantity FROM reservations
                    WHERE order_id = ? AND status = 'committed' AND kind = 'replacement' GROUP BY line_id
                    """),
                arguments: [orderID]
            ).map { row in (row["line_id"] as String, row["quantity"] as Int64) },
            uniquingKeysWith: +)
        order.lines = try Row.fetchAll(
            try db.cachedStatement(sql: "SELECT * FROM order_lines WHERE order_id = ? ORDER BY line_no"), arguments: [orderID]).map {
            row in
            var line = Aftercare_Orders_V1_OrderLine()
            line.lineID = row["line_id"]
            line.sku = row["sku"]
            line.title = row["title"]
            line.category = row["category"]
            line.option = row["option_label"]
            line.quantity = row["quantity"]
            line.unitPrice = Aftercare_Common_V1_Money(row["unit_price_minor"], currency)
            line.refundedQuantity = row["refunded_quantity"]
            line.returnedQuantity = row["returned_quantity"]
            line.refunded = Aftercare_Common_V1_Money(row["refunded_minor"], currency)
            line.reservedQuantity = reservedUnits[line.lineID] ?? 0
            line.exchangedFromLineID = row["exchanged_from_line_id"]
            line.exchangedQuantity = exchangedUnits[line.lineID] ?? 0
            return line
        }
        return order
    }

    /// How many lines `orderID` has (the next line's position is one more).
    func lineCount(_ orderID: String, in db: Database) throws -> Int {
        try Int.fetchOne(try db.cachedStatement(sql: "SELECT COUNT(*) FROM order_lines WHERE order_id = ?"), arguments: [orderID]) ?? 0
    }
}
