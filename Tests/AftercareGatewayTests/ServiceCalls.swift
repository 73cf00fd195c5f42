import SwiftProtobuf
import AftercareAftersalesAPI
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Foundation

/// The calls a test makes on the services to set up a scenario and read every service's state.
struct ServiceCalls: Sendable {
    let clients: [String: RPCClient]

    static let buyer = "buyer_sg"
    static let seller = "seller_sg"
    static let day: Int64 = 86_400_000_000

    func client(_ name: String) -> RPCClient { self.clients[name]! }

    static func cny(_ minor: Int64) -> Aftercare_Common_V1_Money { Aftercare_Common_V1_Money(minor, "CNY") }

    static func key() -> CallOptions { CallOptions(idempotencyKey: UUID().uuidString) }

    // MARK: Orders and payments

    /// An order of `lines` (sku, quantity, unit price), paid through alipay; `status` "paid",
    /// "shipped" or "delivered".
    func paidOrder(_ lines: [(String, Int64, Int64)], shippingFee: Int64 = 0, status: String = "paid") async throws -> Aftercare_Orders_V1_Order {
        let orders = self.client("orders")
        var request = GatewayWorld.orderRequest(lines, shippingFee: shippingFee, seller: Self.seller)
        request.buyerID = Self.buyer
        let created = try await orders.unary(OrdersMethods.createOrder, request, options: Self.key()).order
        let payment = try await self.client("payments").unary(
            PaymentsMethods.pay,
            .with {
                $0.orderID = created.orderID
                $0.buyerID = Self.buyer
                $0.sellerID = Self.seller
                $0.amount = created.total
                $0.channel = .alipay
            }, options: Self.key())
        guard payment.status == .paymentCaptured else { throw TestKitError("payment \(payment.paymentID) is \(payment.status)") }
        var order = try await orders.unary(
            OrdersMethods.markPaid, .with { $0.orderID = created.orderID; $0.paymentID = payment.paymentID; $0.amount = created.total }
        ).order
        if status == "shipped" || status == "delivered" {
            order = try await orders.unary(OrdersMethods.markShipped, .with { $0.orderID = order.orderID }).order
        }
        if status == "delivered" {
            order = try await orders.unary(OrdersMethods.markDelivered, .with { $0.orderID = order.orderID }).order
        }
        return order
    }

    func order(_ orderID: String) async throws -> Aftercare_Orders_V1_Order {
        try await self.client("orders").unary(OrdersMethods.getOrder, .with { $0.orderID = orderID }).order
    }

    func reservation(_ caseID: String) async throws -> Aftercare_Orders_V1_ReservationResponse {
        try await self.client("orders").unary(OrdersMethods.getReservation, .with { $0.caseID = caseID })
    }

    func setStock(_ sku: String, _ quantity: Int64) async throws {
        _ = try await self.client("orders").unary(OrdersMethods.setStock, .with { $0.sku = sku; $0.quantity = quantity })
    }

    func stock(_ sku: String) async throws -> Int64 {
        try await self.client("orders").unary(OrdersMethods.getStock, .with { $0.sku = sku }).stock.quantity
    }

    func refunds(_ paymentID: String) async throws -> [Aftercare_Payments_V1_Refund] {
        try await self.client("payments").unary(PaymentsMethods.listRefunds, .with { $0.paymentID = paymentID }).refunds
    }

    // MARK: Logistics

    func shipments(orderID: String, caseID: String) async throws -> [Aftercare_Logistics_V1_Shipment] {
        try await self.client("logistics").unary(LogisticsMethods.listShipments, .with { $0.orderID = orderID; $0.caseID = caseID }).shipments
    }

    func advance(_ shipmentID: String, to: Aftercare_Logistics_V1_CarrierEventKind) async throws -> Aftercare_Logistics_V1_IngestCarrierEventResponse {
        try await self.client("logistics").unary(CarrierSimulatorMethods.advanceShipment, .with { $0.shipmentID = shipmentID; $0.to = to })
    }

    /// Logistics' feed events of carrier events on `shipmentID`, oldest first.
    func carrierFeedEvents(shipmentID: String) async throws -> [Aftercare_Common_V1_Event] {
        try await self.feed("logistics", types: LogisticsEventTypes.carrierEvents).filter { $0.subjects.shipmentID == shipmentID }
    }

    // MARK: Aftersales

    /// A case opened with the facts orders gives about `order`.
    func openCase(
        _ kind: Aftercare_Aftersales_V1_CaseKind, order: Aftercare_Orders_V1_Order, lines: [(Int, Int64)], requested: Int64,
        reason: Aftercare_Aftersales_V1_CaseReason = .noReason7D, replacementSKU: String = ""
    ) async throws -> Aftercare_Aftersales_V1_Case {
        let request = Aftercare_Aftersales_V1_OpenCaseRequest.with {
            $0.kind = kind
            $0.orderID = order.orderID
            $0.buyerID = order.buyerID
            $0.sellerID = order.sellerID
            $0.reason = reason
            $0.description_p = "test case"
            $0.lines = lines.map { index, quantity in
                let line = order.lines[index]
                return .with {
                    $0.lineID = line.lineID
                    $0.sku = line.sku
                    $0.category = line.category
                    $0.quantity = quantity
                    $0.unitPrice = line.unitPrice
                }
            }
            $0.requested = Self.cny(requested)
            $0.replacementSku = replacementSKU
            $0.facts = .with {
                $0.orderStatus = String(describing: order.status).lowercased()
                $0.deliveredAtUnixMicros = order.deliveredAtUnixMicros
                $0.promisedDeliveryUnixMicros = order.promisedDeliveryUnixMicros
                $0.paid = order.paid
                $0.refundable = order.refundable
                $0.buyerOrders90D = 1
                $0.buyerPaid90D = order.paid
                $0.buyerRefunded90D = Self.cny(0)
            }
        }
        return try await self.client("aftersales").unary(AftersalesMethods.openCase, request, options: Self.key()).record
    }

    func getCase(_ caseID: String) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        try await self.client("aftersales").unary(AftersalesMethods.getCase, .with { $0.caseID = caseID })
    }

    /// An actor's action on the case as it stands now (`actor`: the seller, the buyer, or an operator).
    func act(
        _ method: MethodDescriptor<Aftercare_Aftersales_V1_CaseActionRequest, Aftercare_Aftersales_V1_CaseResponse>, _ caseID: String,
        actor: String = Self.seller
    ) async throws -> Aftercare_Aftersales_V1_Case {
        let current = try await self.getCase(caseID).record
        return try await self.client("aftersales").unary(
            method, .with { $0.caseID = caseID; $0.version = current.version; $0.actorID = actor; $0.note = "test" }, options: Self.key()
        ).record
    }

    /// The seller inspects the case's lines: (received_ok, damaged) per line, in order.
    func inspect(_ caseID: String, _ counts: [(Int64, Int64)]) async throws -> Aftercare_Aftersales_V1_Case {
        let current = try await self.getCase(caseID).record
        return try await self.client("aftersales").unary(
            AftersalesMethods.inspect,
            .with {
                $0.action = .with { $0.caseID = caseID; $0.version = current.version; $0.actorID = Self.seller }
                $0.lines = zip(current.lines, counts).map { line, count in
                    .with { $0.lineID = line.lineID; $0.receivedOk = count.0; $0.damaged = count.1 }
                }
            }, options: Self.key()
        ).record
    }

    /// The seller disputes what came back (nothing received in order), with a photo.
    func disputeReceipt(_ caseID: String) async throws -> Aftercare_Aftersales_V1_Case {
        let current = try await self.getCase(caseID).record
        return try await self.client("aftersales").unary(
            AftersalesMethods.disputeReceipt,
            .with {
                $0.action = .with { $0.caseID = caseID; $0.version = current.version; $0.actorID = Self.seller; $0.reasonCode = "wrong_item" }
                $0.lines = current.lines.map { line in .with { $0.lineID = line.lineID; $0.wrongItem = line.quantity } }
                $0.evidence = [.with { $0.kind = .photo; $0.uri = "https://evidence.example/parcel.jpg"; $0.sha256 = String(repeating: "ab", count: 32) }]
            }, options: Self.key()
        ).record
    }

    /// Moves aftersales' clock forward (its timer pass then fires what is due).
    func advanceAftersalesClock(by micros: Int64) async throws {
        _ = try await self.client("aftersales").unary(OperatorMethods.advanceClock, .with { $0.byMicros = micros })
    }

    /// The newest `saga_requested` event of the case, polled for up to 10 s (timers fire in the
    /// background); it must ask for `saga`.
    func sagaRequested(caseID: String, saga: String) async throws -> Aftercare_Common_V1_Event {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            let events = try await self.feed("aftersales", types: [AftersalesEventTypes.sagaRequested]).filter { $0.subjects.caseID == caseID }
            if let event = events.last, event.payload(as: Aftercare_Aftersales_V1_SagaRequested.self)?.saga == saga { return event }
            guard ContinuousClock.now < deadline else {
                throw TestKitError("case \(caseID) asked for no \(saga) saga; its last request: \(events.last.map(\.eventID) ?? "none")")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Polls the case for up to 10 s until it is in `state`.
    func waitForState(_ caseID: String, _ state: String) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while try await self.getCase(caseID).record.state != state {
            guard ContinuousClock.now < deadline else { throw TestKitError("case \(caseID) never reached \(state)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func feed(_ service: String, types: [String]) async throws -> [Aftercare_Common_V1_Event] {
        var events: [Aftercare_Common_V1_Event] = []
        var after: Int64 = 0
        while true {
            let page = try await self.client(service).unary(FeedMethods.readEvents, .with { $0.afterSeq = after; $0.limit = 1_000; $0.types = types })
            events += page.events
            guard !page.events.isEmpty, page.nextAfterSeq < page.headSeq else { return events }
            after = page.nextAfterSeq
        }
    }
}
