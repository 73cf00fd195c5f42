import AftercareAftersalesAPI
import AftercareOrdersAPI
import AftercareRPC
import AftercareWire
import Foundation

extension OrderJourney {
    /// The buyer returns one unit of `line` (not as described, with a photo), as the gateway will
    /// open the case: it gathers the facts from orders — the order's status, delivery, paid and
    /// refundable amounts, and the buyer's 90-day totals — and hands them to aftersales with the
    /// application. The policy sends it to the seller, who approves it; the case then asks the
    /// gateway, on its feed, for the Return setup saga.
    func returnOne(
        _ line: Aftercare_Orders_V1_OrderLine, of order: Aftercare_Orders_V1_Order, tag: String
    ) async throws -> (opened: Aftercare_Aftersales_V1_CaseResponse, approved: Aftercare_Aftersales_V1_CaseResponse) {
        var get = Aftercare_Orders_V1_GetOrderRequest()
        get.orderID = order.orderID
        let order = try await self.orders.unary(OrdersMethods.getOrder, get).order
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
        var totals = Aftercare_Orders_V1_GetTotalsRequest()
        totals.partyKind = .buyer
        totals.partyID = order.buyerID
        totals.fromUnixMicros = now - 90 * 86_400_000_000
        totals.toUnixMicros = now + 1
        let buyer = try await self.orders.unary(OrdersMethods.getTotals, totals)

        var application = Aftercare_Aftersales_V1_OpenCaseRequest()
        application.kind = .returnAndRefund
        application.orderID = order.orderID
        application.buyerID = order.buyerID
        application.sellerID = order.sellerID
        application.reason = .notAsDescribed
        application.description_p = "The second tin is last year's harvest, not this spring's as listed."
        var caseLine = Aftercare_Aftersales_V1_CaseLine()
        caseLine.lineID = line.lineID
        caseLine.sku = line.sku
        caseLine.category = line.category
        caseLine.quantity = 1
        caseLine.unitPrice = line.unitPrice
        application.lines = [caseLine]
        application.requested = line.unitPrice
        var photo = Aftercare_Aftersales_V1_EvidenceInput()
        photo.kind = .photo
        photo.uri = "https://evidence.example/\(tag)/tin-label.jpg"
        photo.sha256 = String(repeating: "5e", count: 32)
        application.evidence = [photo]
        application.facts.orderStatus = order.status.name
        application.facts.deliveredAtUnixMicros = order.deliveredAtUnixMicros
        application.facts.promisedDeliveryUnixMicros = order.promisedDeliveryUnixMicros
        application.facts.paid = order.paid
        application.facts.refundable = order.refundable
        application.facts.buyerOrders90D = buyer.orders
        application.facts.buyerPaid90D = Self.inCurrency(buyer.paid, order.total.currency)
        application.facts.buyerRefunded90D = Self.inCurrency(buyer.refunded, order.total.currency)
        let opened = try await self.aftersales.unary(
            AftersalesMethods.openCase, application, options: .init(idempotencyKey: "journey-\(tag)/return"))
        let decision = opened.record.decision
        self.say("aftersales: \(opened.record.caseID) return of 1 \(line.sku) (\(opened.record.requested.formatted)): \(opened.record.state)")
        self.say("aftersales: policy \(decision.policyVersion), rule \(decision.decidingRule): \"\(decision.sentence)\"")

        var approve = Aftercare_Aftersales_V1_CaseActionRequest()
        approve.caseID = opened.record.caseID
        approve.version = opened.record.version
        approve.actorID = order.sellerID
        let approved = try await self.aftersales.unary(
            AftersalesMethods.approve, approve, options: .init(idempotencyKey: "journey-\(tag)/approve"))
        self.say("aftersales: \(order.sellerID) approves: \(approved.record.state); its feed asks the gateway for the Return setup saga")
        return (opened, approved)
    }

    /// The entry of `currency` among per-currency totals (zero when there is none).
    static func inCurrency(_ totals: [Aftercare_Common_V1_Money], _ currency: String) -> Aftercare_Common_V1_Money {
        totals.first { $0.currency == currency } ?? Aftercare_Common_V1_Money(0, currency)
    }
}
