import AftercareAftersalesAPI
import AftercareRPC
import AftercareTesting
import Foundation

/// Applications and evidence the service suites send.
enum Fixtures {
    static func cny(_ minor: Int64) -> Aftercare_Common_V1_Money {
        var money = Aftercare_Common_V1_Money()
        money.amountMinor = minor
        money.currency = "CNY"
        return money
    }

    static func photo(_ index: Int) -> Aftercare_Aftersales_V1_EvidenceInput {
        var evidence = Aftercare_Aftersales_V1_EvidenceInput()
        evidence.kind = .photo
        evidence.uri = "https://evidence.example/photo-\(index).jpg"
        evidence.sha256 = String(repeating: String(index % 10), count: 64)
        return evidence
    }

    /// A delivered order's application (delivered 3 days before `now`, nothing refunded) that the
    /// default policy sends to the seller: reason `other`, 100.00 CNY of a 300.00 CNY order.
    static func application(
        _ kind: Aftercare_Aftersales_V1_CaseKind = .returnAndRefund, order: String = "ord_1", lines: [(String, Int64)] = [("line_1", 1)],
        requested: Int64 = 10_000, reason: Aftercare_Aftersales_V1_CaseReason = .other, status: String = "delivered",
        now: Int64 = InMemoryService.startMicros
    ) -> Aftercare_Aftersales_V1_OpenCaseRequest {
        var request = Aftercare_Aftersales_V1_OpenCaseRequest()
        request.kind = kind
        request.orderID = order
        request.buyerID = "buyer_1"
        request.sellerID = "seller_1"
        request.reason = reason
        request.description_p = "it does not fit"
        request.lines = lines.map { lineID, quantity in
            var line = Aftercare_Aftersales_V1_CaseLine()
            line.lineID = lineID
            line.sku = "sku_\(lineID)"
            line.category = "apparel"
            line.quantity = quantity
            line.unitPrice = cny(10_000)
            return line
        }
        request.requested = cny(requested)
        if kind == .exchange { request.replacementSku = "sku_line_1_L" }
        request.facts.orderStatus = status
        if status == "delivered" || status == "completed" { request.facts.deliveredAtUnixMicros = now - 3 * Micros.day }
        request.facts.promisedDeliveryUnixMicros = now - 4 * Micros.day
        request.facts.paid = cny(30_000)
        request.facts.refundable = cny(30_000)
        request.facts.buyerOrders90D = 10
        request.facts.buyerPaid90D = cny(500_000)
        request.facts.buyerRefunded90D = cny(0)
        return request
    }
}
