import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit

extension OrdersStore {
    /// Whose totals: one buyer, one seller, or every order.
    enum Party: Sendable {
        case buyer(String)
        case seller(String)
        case platform

        /// The SQL condition on `orders` aliased `o`, and its argument.
        var condition: (sql: String, arguments: [any SQLConvertible]) {
            switch self {
            case .buyer(let id): ("o.buyer_id = ?", [id])
            case .seller(let id): ("o.seller_id = ?", [id])
            case .platform: ("1 = 1", [])
            }
        }
    }

    /// Orders created, payments of orders paid and refunds committed in [from, to); a cancelled
    /// order counts in neither sum (its payment goes back whole, as a cancellation).
    func totals(for party: Party, from: Int64, to: Int64, in db: any SQLConnection) throws -> Aftercare_Orders_V1_GetTotalsResponse {
        let statements = Self.totalsSQL(for: party)
        let arguments = party.condition.arguments + [from, to]
        var response = Aftercare_Orders_V1_GetTotalsResponse()
        response.orders = try db.queryValue(statements.orders, arguments, as: Int64.self) ?? 0
        response.paid = try db.query(statements.paid, arguments).map { row in
            Aftercare_Common_V1_Money(try row["amount"], try row["currency"])
        }
        response.refunded = try db.query(statements.refunded, arguments).map { row in
            Aftercare_Common_V1_Money(try row["amount"], try row["currency"])
        }
        return response
    }

    /// The three statements of ``totals(for:from:to:in:)`` for `party`, each taking the party's
    /// argument (if any), then `from` and `to`. A buyer's or a seller's read only their own orders
    /// of the window (`orders_by_<party>_created`, `_paid`) and those orders' reservations
    /// (`reservations_by_order`), never every refund of the window, whoever's it was; the
    /// platform's start from the window's committed reservations.
    static func totalsSQL(for party: Party) -> (orders: String, paid: String, refunded: String) {
        let condition = party.condition.sql
        // SQLite keeps a CROSS JOIN's left table the outer loop: it has no statistics to tell that
        // one buyer's orders are fewer than the window's refunds. On PostgreSQL it is an inner join
        // like any other, planned by its statistics.
        let join =
            switch party {
            case .platform: "reservations r CROSS JOIN orders o"
            case .buyer, .seller: "orders o CROSS JOIN reservations r"
            }
        return (
            orders: "SELECT COUNT(*) FROM orders o WHERE \(condition) AND o.created_at >= ? AND o.created_at < ?",
            paid: """
                SELECT o.currency AS currency, SUM(o.paid_minor) AS amount FROM orders o
                WHERE \(condition) AND o.paid_at > 0 AND o.paid_at >= ? AND o.paid_at < ? AND o.status <> 'cancelled'
                GROUP BY o.currency ORDER BY o.currency
                """,
            refunded: """
                SELECT r.currency AS currency, SUM(r.committed_minor) AS amount FROM \(join)
                WHERE \(condition) AND r.order_id = o.order_id AND r.status = 'committed' AND r.kind = 'amount'
                    AND r.closed_at >= ? AND r.closed_at < ? AND o.status <> 'cancelled'
                GROUP BY r.currency ORDER BY r.currency
                """
        )
    }
}
