import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit

/// A buyer's application as aftersales takes it: the lines with what the order says of them (SKU,
/// category, unit price), the parties, the requested amount, and the facts the review needs — the
/// order's status, delivery, paid and refundable amounts, and the buyer's 90-day totals. Pure: the
/// handler reads the order and the totals, this checks the request against them and builds the call.
struct CaseApplication {
    /// How far back the buyer's totals reach.
    static let totalsWindowMicros: Int64 = 90 * 86_400_000_000

    /// The OpenCase request for `request` on `order`.
    /// - Throws: FAILED_PRECONDITION for an order cancelled or being cancelled; INVALID_ARGUMENT
    ///   naming the field: no lines, a line the order does not have, a line
    ///   named twice, a quantity outside 1…the line's quantity, a requested amount in another
    ///   currency, an amount that overflows. Aftersales checks the rest (how many lines and
    ///   evidence items, their contents).
    static func openCase(
        _ request: Aftercare_Gateway_V1_ApplyRequest, order: Aftercare_Orders_V1_Order, buyerTotals: Aftercare_Orders_V1_GetTotalsResponse
    ) throws(RPCError) -> Aftercare_Aftersales_V1_OpenCaseRequest {
        guard order.status != .cancelling && order.status != .cancelled else {
            throw RPCError.failedPrecondition("order_id: order \(order.orderID) is \(order.status.name); it takes no after-sales case")
        }
        guard !request.lines.isEmpty else { throw RPCError.invalidField("lines", "name at least one line of order \(order.orderID)") }
        let currency = order.total.currency
        var open = Aftercare_Aftersales_V1_OpenCaseRequest()
        open.kind = request.kind
        open.orderID = order.orderID
        open.buyerID = order.buyerID
        open.sellerID = order.sellerID
        open.reason = request.reason
        open.description_p = request.description_p
        open.replacementSku = request.replacementSku
        open.evidence = request.evidence
        var seen = Set<String>()
        var value: Int64 = 0
        for (index, asked) in request.lines.enumerated() {
            let field = "lines[\(index)]"
            guard let line = order.lines.first(where: { $0.lineID == asked.lineID }) else {
                throw RPCError.invalidField("\(field).line_id", "order \(order.orderID) has no line \"\(asked.lineID)\"")
            }
            guard seen.insert(asked.lineID).inserted else { throw RPCError.invalidField("\(field).line_id", "line \(asked.lineID) is named twice") }
            guard (1...max(line.quantity, 1)).contains(asked.quantity) else {
                throw RPCError.invalidField("\(field).quantity", "must be 1 to \(line.quantity), the line's quantity; got \(asked.quantity)")
            }
            let (lineValue, overflow) = line.unitPrice.amountMinor.multipliedReportingOverflow(by: asked.quantity)
            let (sum, overflowSum) = value.addingReportingOverflow(lineValue)
            guard !overflow, !overflowSum else { throw RPCError.invalidField("\(field).quantity", "the lines' value overflows") }
            value = sum
            var caseLine = Aftercare_Aftersales_V1_CaseLine()
            caseLine.lineID = line.lineID
            caseLine.sku = line.sku
            caseLine.category = line.category
            caseLine.quantity = asked.quantity
            caseLine.unitPrice = line.unitPrice
            open.lines.append(caseLine)
        }
        if request.hasRequested {
            try RequestCheck.sameCurrency(request.requested.currency, currency, "requested.currency")
            open.requested = request.requested
        } else {
            open.requested = Aftercare_Common_V1_Money(value, currency)
        }
        open.facts = Self.facts(order: order, buyerTotals: buyerTotals)
        return open
    }

    /// What the review sees of `order` and its buyer now.
    static func facts(
        order: Aftercare_Orders_V1_Order, buyerTotals: Aftercare_Orders_V1_GetTotalsResponse
    ) -> Aftercare_Aftersales_V1_ApplicationFacts {
        var facts = Aftercare_Aftersales_V1_ApplicationFacts()
        facts.orderStatus = order.status.name
        facts.deliveredAtUnixMicros = order.deliveredAtUnixMicros
        facts.completedAtUnixMicros = order.completedAtUnixMicros
        facts.promisedDeliveryUnixMicros = order.promisedDeliveryUnixMicros
        facts.paid = order.paid
        facts.refundable = order.refundable
        facts.buyerOrders90D = buyerTotals.orders
        facts.buyerPaid90D = Self.inCurrency(buyerTotals.paid, order.total.currency)
        facts.buyerRefunded90D = Self.inCurrency(buyerTotals.refunded, order.total.currency)
        return facts
    }

    /// The buyer's totals request for the 90 days up to `nowMicros`.
    static func totalsRequest(buyerID: String, nowMicros: Int64) -> Aftercare_Orders_V1_GetTotalsRequest {
        var totals = Aftercare_Orders_V1_GetTotalsRequest()
        totals.partyKind = .buyer
        totals.partyID = buyerID
        totals.fromUnixMicros = nowMicros - Self.totalsWindowMicros
        totals.toUnixMicros = nowMicros + 1
        return totals
    }

    /// The entry of `currency` among per-currency totals (zero when there is none).
    static func inCurrency(_ totals: [Aftercare_Common_V1_Money], _ currency: String) -> Aftercare_Common_V1_Money {
        totals.first { $0.currency == currency } ?? Aftercare_Common_V1_Money(0, currency)
    }
}
