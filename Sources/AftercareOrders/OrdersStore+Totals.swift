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
        let (condition, partyArguments) = party.condition
        let window: [any SQLConvertible] = [from, to]
        var response = Aftercare_Orders_V1_GetTotalsResponse()
        response.orders =
            try db.queryValue(
                "SELECT COUNT(*) FROM orders o WHERE \(condition) AND o.created_at >= ? AND o.created_at < ?", partyArguments + window,
                as: Int64.self) ?? 0
        response.paid = try db.query(
            """
            SELECT o.currency AS currency, SUM(o.paid_minor) AS amount FROM orders o
            WHERE \(condition) AND o.paid_at > 0 AND o.paid_at >= ? AND o.paid_at < ? AND o.status <> 'cancelled'
            GROUP BY o.currency ORDER BY o.currency
            """,
            partyArguments + window
        ).map { row in Aftercare_Common_V1_Money(try row["amount"], try row["currency"]) }
        response.refunded = try db.query(
            """
            SELECT r.currency AS currency, SUM(r.committed_minor) AS amount FROM reservations r
            JOIN orders o ON o.order_id = r.order_id
            WHERE \(condition) AND r.status = 'committed' AND r.kind = 'amount' AND r.closed_at >= ? AND r.closed_at < ?
                AND o.status <> 'cancelled'
            GROUP BY r.currency ORDER BY r.currency
            """,
            partyArguments + window
        ).map { row in Aftercare_Common_V1_Money(try row["amount"], try row["currency"]) }
        return response
    }
}
