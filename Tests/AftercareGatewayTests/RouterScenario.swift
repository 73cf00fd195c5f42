import AftercareAftersalesAPI
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit
import Foundation

/// The calls a scenario makes on the services, as the gateway's public API would.
struct RouterScenario: Sendable {
    let harness: RouterHarness
    var orders: RPCClient { self.harness.clients["orders"]! }
    var logistics: RPCClient { self.harness.clients["logistics"]! }
    var aftersales: RPCClient { self.harness.clients["aftersales"]! }

    static let buyer = "buyer_1"
    static let seller = "seller_1"

    static func key() -> CallOptions { CallOptions(idempotencyKey: UUID().uuidString) }

    static func cny(_ minor: Int64) -> Aftercare_Common_V1_Money {
        var money = Aftercare_Common_V1_Money()
        money.amountMinor = minor
        money.currency = "CNY"
        return money
    }

    /// A paid and shipped order of two lines (tea 2 × 25.00, cup 1 × 40.00, shipping 10.00).
    func shippedOrder() async throws -> Aftercare_Orders_V1_Order {
        var create = Aftercare_Orders_V1_CreateOrderRequest()
        create.buyerID = Self.buyer
        create.sellerID = Self.seller
        create.currency = "CNY"
        create.shippingFee = Self.cny(1_000)
        create.promisedDeliveryUnixMicros = self.harness.clock.nowMicros + 5 * 86_400_000_000
        let lines: [(String, String, Int64, Int64)] = [("tea-green", "food", 2, 2_500), ("cup-red", "home", 1, 4_000)]
        create.lines = lines.map { sku, category, quantity, price in
            var line = Aftercare_Orders_V1_NewOrderLine()
            line.sku = sku
            line.title = sku
            line.category = category
            line.quantity = quantity
            line.unitPrice = Self.cny(price)
            return line
        }
        let order = try await self.orders.unary(OrdersMethods.createOrder, create, options: Self.key()).order
        var paid = Aftercare_Orders_V1_MarkPaidRequest()
        paid.orderID = order.orderID
        paid.paymentID = "pay_1"
        paid.amount = order.total
        _ = try await self.orders.unary(OrdersMethods.markPaid, paid)
        var shipped = Aftercare_Orders_V1_MarkShippedRequest()
        shipped.orderID = order.orderID
        return try await self.orders.unary(OrdersMethods.markShipped, shipped).order
    }

    func createShipment(_ kind: Aftercare_Logistics_V1_ShipmentKind, order: String, caseID: String = "", tracking: String) async throws
        -> Aftercare_Logistics_V1_Shipment
    {
        var request = Aftercare_Logistics_V1_CreateShipmentRequest()
        request.kind = kind
        request.orderID = order
        request.caseID = caseID
        request.carrier = "sf_express"
        request.trackingNumber = tracking
        request.buyerID = Self.buyer
        request.sellerID = Self.seller
        return try await self.logistics.unary(LogisticsMethods.createShipment, request, options: Self.key())
    }

    func carrier(_ shipment: Aftercare_Logistics_V1_Shipment, _ kind: Aftercare_Logistics_V1_CarrierEventKind, id: String) async throws {
        var request = Aftercare_Logistics_V1_IngestCarrierEventRequest()
        request.carrier = shipment.carrier
        request.trackingNumber = shipment.trackingNumber
        request.carrierEventID = id
        request.kind = kind
        request.occurredAtUnixMicros = self.harness.clock.nowMicros
        request.location = "Shenzhen hub"
        _ = try await self.logistics.unary(LogisticsMethods.ingestCarrierEvent, request)
    }

    /// A return-and-refund case on `lines` of `order` that the default policy sends to the seller.
    func openCase(_ order: Aftercare_Orders_V1_Order, lines: [Aftercare_Orders_V1_OrderLine]) async throws -> String {
        var request = Aftercare_Aftersales_V1_OpenCaseRequest()
        request.kind = .returnAndRefund
        request.orderID = order.orderID
        request.buyerID = Self.buyer
        request.sellerID = Self.seller
        request.reason = .other
        request.description_p = "it does not fit"
        request.lines = lines.map { orderLine in
            var line = Aftercare_Aftersales_V1_CaseLine()
            line.lineID = orderLine.lineID
            line.sku = orderLine.sku
            line.category = "apparel"
            line.quantity = orderLine.quantity
            line.unitPrice = orderLine.unitPrice
            return line
        }
        request.requested = Self.cny(lines.reduce(0) { $0 + $1.quantity * $1.unitPrice.amountMinor })
        let now = self.harness.clock.nowMicros
        request.facts.orderStatus = "delivered"
        request.facts.deliveredAtUnixMicros = now - 3 * 86_400_000_000
        request.facts.promisedDeliveryUnixMicros = now - 4 * 86_400_000_000
        request.facts.paid = order.total
        request.facts.refundable = order.total
        request.facts.buyerOrders90D = 10
        request.facts.buyerPaid90D = Self.cny(500_000)
        request.facts.buyerRefunded90D = Self.cny(0)
        return try await self.aftersales.unary(AftersalesMethods.openCase, request, options: Self.key()).record.caseID
    }

    func header(_ caseID: String, by actor: String, reasonCode: String = "") async throws -> Aftercare_Aftersales_V1_CaseActionRequest {
        var get = Aftercare_Aftersales_V1_GetCaseRequest()
        get.caseID = caseID
        var header = Aftercare_Aftersales_V1_CaseActionRequest()
        header.caseID = caseID
        header.actorID = actor
        header.reasonCode = reasonCode
        header.version = try await self.aftersales.unary(AftersalesMethods.getCase, get).record.version
        return header
    }

    func act(_ method: MethodDescriptor<Aftercare_Aftersales_V1_CaseActionRequest, Aftercare_Aftersales_V1_CaseResponse>, _ caseID: String, by actor: String)
        async throws
    {
        _ = try await self.aftersales.unary(method, try await self.header(caseID, by: actor), options: Self.key())
    }

    func reject(_ caseID: String) async throws {
        var request = Aftercare_Aftersales_V1_RejectRequest()
        request.action = try await self.header(caseID, by: Self.seller, reasonCode: "used_item")
        var photo = Aftercare_Aftersales_V1_EvidenceInput()
        photo.kind = .photo
        photo.uri = "https://evidence.example/worn.jpg"
        photo.sha256 = String(repeating: "a", count: 64)
        request.evidence = [photo]
        _ = try await self.aftersales.unary(AftersalesMethods.reject, request, options: Self.key())
    }

    /// The whole scenario: ``deliveredOrder()``, then ``cases(on:)``.
    func runAll() async throws -> Cases {
        try await self.cases(on: try await self.deliveredOrder())
    }

    /// An order shipped and delivered (picked up, then delivered by the carrier).
    func deliveredOrder() async throws -> Aftercare_Orders_V1_Order {
        let order = try await self.shippedOrder()
        let outbound = try await self.createShipment(.outbound, order: order.orderID, tracking: "SF1000000001")
        try await self.carrier(outbound, .pickedUp, id: "out-1")
        try await self.carrier(outbound, .delivered, id: "out-2")
        return order
    }

    /// The cases of the scenario, on the delivered `order`:
    /// - `closed` (both lines): the seller rejects, the buyer accepts: closed;
    /// - `approved` (line 1): the seller approves (Return setup requested); its return shipment is
    ///   created and picked up (Carrier progress);
    /// - `escalated` (line 2): the seller rejects, the buyer escalates to the platform.
    func cases(on order: Aftercare_Orders_V1_Order) async throws -> Cases {
        let closed = try await self.openCase(order, lines: order.lines)
        try await self.reject(closed)
        try await self.act(AftersalesMethods.acceptRejection, closed, by: Self.buyer)

        let approved = try await self.openCase(order, lines: [order.lines[0]])
        try await self.act(AftersalesMethods.approve, approved, by: Self.seller)
        let back = try await self.createShipment(.return, order: order.orderID, caseID: approved, tracking: "")
        try await self.carrier(back, .pickedUp, id: "ret-1")

        let escalated = try await self.openCase(order, lines: [order.lines[1]])
        try await self.reject(escalated)
        try await self.act(AftersalesMethods.escalate, escalated, by: Self.buyer)

        return Cases(order: order, approved: approved, escalated: escalated, closed: closed)
    }

    struct Cases: Sendable {
        let order: Aftercare_Orders_V1_Order
        let approved: String
        let escalated: String
        let closed: String
    }
}
