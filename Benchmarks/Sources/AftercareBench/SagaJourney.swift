import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercareRPC

/// A saga measured end to end through the gateway's public API: ``prepare(_:buyer:watch:)`` makes
/// what it starts from (not timed), ``run(_:buyer:watch:)`` is the timed part, from the buyer's
/// Apply to the buyer's inbox saying the case is REFUNDED.
protocol SagaJourney: Sendable {
    associatedtype Prepared: Sendable
    /// For the report, e.g. "refund-only".
    var name: String { get }
    func prepare(_ index: Int, buyer: Caller, watch: InboxWatch) async throws -> Prepared
    func run(_ prepared: Prepared, buyer: Caller, watch: InboxWatch) async throws
}

/// The orders the journeys start from, placed and paid through the gateway as the buyer (PayOrder:
/// payments charge, orders mark paid), shipped by the seller and delivered by the carrier simulator.
struct BenchOrders: Sendable {
    let gateway: GatewayCallers
    /// Makes idempotency keys and tracking numbers unique within the run: the run's and the phase's
    /// (A-Z, a-z, 0-9 and '-' only, as tracking numbers allow).
    let tag: String

    /// One line of one unit at 88.00 CNY in `category`, paid through alipay.
    func paid(_ index: Int, category: String, buyer: Caller) async throws -> Aftercare_Orders_V1_Order {
        let created = try await buyer.call(
            GatewayMethods.createOrder,
            .with {
                $0.sellerID = GatewayCallers.seller
                $0.currency = "CNY"
                $0.shippingFee = Aftercare_Common_V1_Money(0, "CNY")
                $0.promisedDeliveryUnixMicros = 4_000_000_000_000_000
                $0.lines = [
                    .with {
                        $0.sku = "bench-\(category)"
                        $0.title = "Bench item (\(category))"
                        $0.category = category
                        $0.quantity = 1
                        $0.unitPrice = Aftercare_Common_V1_Money(8_800, "CNY")
                    }
                ]
            }, key: "\(self.tag)/\(index)/order"
        ).order
        let paid = try await buyer.call(
            GatewayMethods.payOrder, .with { $0.orderID = created.orderID; $0.channel = .alipay }, key: "\(self.tag)/\(index)/pay")
        guard paid.payment.status == .paymentCaptured, paid.order.status == .paid else {
            throw BenchmarkError("order \(created.orderID): payment \(paid.payment.status), order \(paid.order.status)")
        }
        return paid.order
    }

    /// A paid order shipped by the seller and delivered by the carrier simulator; answered once the
    /// buyer's inbox says the gateway marked it delivered.
    func delivered(_ index: Int, category: String, buyer: Caller, watch: InboxWatch) async throws -> Aftercare_Orders_V1_Order {
        let order = try await self.paid(index, category: category, buyer: buyer)
        let shipped = try await self.gateway.seller.call(
            GatewayMethods.shipOrder,
            .with {
                $0.orderID = order.orderID
                $0.carrier = "sf_express"
                $0.trackingNumber = "SFB-\(self.tag)-\(index)"
            }, key: "\(self.tag)/\(index)/ship")
        try await self.deliver(shipped.shipment.shipmentID)
        try await watch.wait(for: order.orderID, "orders.order.delivered")
        return order
    }

    /// Support moves the shipment on with the carrier simulator until it is delivered.
    func deliver(_ shipmentID: String) async throws {
        var state = Aftercare_Logistics_V1_ShipmentState.labelCreated
        var moves = 0
        while state != .delivered {
            moves += 1
            guard moves <= 10 else { throw BenchmarkError("shipment \(shipmentID) is still \(state) after 10 moves") }
            state = try await self.gateway.platform.call(GatewayMethods.advanceShipment, .with { $0.shipmentID = shipmentID }).shipment.state
        }
    }
}

/// Refund-only on a paid, unshipped order: the policy approves it at once and the gateway's Refund
/// saga runs (orders reserve, aftersales record refunding, payments refund, orders commit,
/// aftersales record refunded).
struct RefundOnlyJourney: SagaJourney {
    let orders: BenchOrders
    var name: String { "refund-only" }

    func prepare(_ index: Int, buyer: Caller, watch: InboxWatch) async throws -> Aftercare_Orders_V1_Order {
        try await self.orders.paid(index, category: "food", buyer: buyer)
    }

    func run(_ order: Aftercare_Orders_V1_Order, buyer: Caller, watch: InboxWatch) async throws {
        let opened = try await buyer.call(
            GatewayMethods.apply,
            .with {
                $0.kind = .refundOnly
                $0.orderID = order.orderID
                $0.reason = .other
                $0.description_p = "Ordered the wrong item; it has not shipped."
                $0.lines = [.with { $0.lineID = order.lines[0].lineID; $0.quantity = 1 }]
            }, key: "\(self.orders.tag)/\(order.orderID)/apply")
        guard opened.decision.outcome == "approve" else {
            throw BenchmarkError("refund-only \(opened.record.caseID) was not approved: \(opened.decision.outcome) (\(opened.record.state))")
        }
        try await watch.wait(for: opened.record.caseID, "REFUNDED")
        watch.forget(opened.record.caseID)
        watch.forget(order.orderID)
    }
}

/// Return-and-refund (no reason, within 7 days) of a delivered order: approved at once; Return
/// setup makes the label; the carrier simulator moves the return (support's AdvanceShipment: picked
/// up, in transit, delivered — a Carrier progress saga each); the seller confirms receipt and
/// inspects (all in order); the Refund saga pays.
struct ReturnJourney: SagaJourney {
    let orders: BenchOrders
    var name: String { "return-and-refund" }

    func prepare(_ index: Int, buyer: Caller, watch: InboxWatch) async throws -> Aftercare_Orders_V1_Order {
        try await self.orders.delivered(index, category: "apparel", buyer: buyer, watch: watch)
    }

    func run(_ order: Aftercare_Orders_V1_Order, buyer: Caller, watch: InboxWatch) async throws {
        let key = "\(self.orders.tag)/\(order.orderID)"
        let opened = try await buyer.call(
            GatewayMethods.apply,
            .with {
                $0.kind = .returnAndRefund
                $0.orderID = order.orderID
                $0.reason = .noReason7D
                $0.lines = [.with { $0.lineID = order.lines[0].lineID; $0.quantity = 1 }]
            }, key: "\(key)/apply")
        let caseID = opened.record.caseID
        guard opened.decision.outcome == "approve" else {
            throw BenchmarkError("return \(caseID) was not approved: \(opened.decision.outcome) (\(opened.record.state))")
        }
        try await watch.wait(for: caseID, "AWAITING_RETURN_SHIPMENT")
        let awaiting = try await buyer.call(GatewayMethods.getCase, .with { $0.caseID = caseID })
        try await self.orders.deliver(awaiting.record.returnShipment.shipmentID)
        try await watch.wait(for: caseID, "RETURN_DELIVERED")
        let seller = self.orders.gateway.seller
        let delivered = try await seller.call(GatewayMethods.getCase, .with { $0.caseID = caseID })
        let inspecting = try await Self.acting(caseID, at: delivered.record.version, by: seller, key: "\(key)/receipt") { version, key in
            try await seller.call(GatewayMethods.confirmReceipt, .with { $0.caseID = caseID; $0.version = version }, key: key)
        }
        let inspected = try await Self.acting(caseID, at: inspecting.record.version, by: seller, key: "\(key)/inspect") { version, key in
            try await seller.call(
                GatewayMethods.inspect,
                .with {
                    $0.action = .with { $0.caseID = caseID; $0.version = version }
                    $0.lines = [.with { $0.lineID = order.lines[0].lineID; $0.receivedOk = 1 }]
                }, key: key)
        }
        guard inspected.record.state == "REFUND_APPROVED" else {
            throw BenchmarkError("return \(caseID) is \(inspected.record.state) after the inspection")
        }
        try await watch.wait(for: caseID, "REFUNDED")
        watch.forget(caseID)
        watch.forget(order.orderID)
    }

    /// The seller's action on the case at `version`, under `key`; ABORTED (a Carrier progress saga
    /// recorded a late carrier event, moving the version after it was read) reads the case again
    /// and acts under a new key, as the tests do.
    static func acting(
        _ caseID: String, at version: UInt64, by seller: Caller, key: String,
        _ act: (UInt64, String) async throws -> Aftercare_Aftersales_V1_CaseResponse
    ) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        var (version, attemptKey) = (version, key)
        for attempt in 1...20 {
            do {
                return try await act(version, attemptKey)
            } catch let error as RPCError where error.code == .aborted {
                try await Task.sleep(for: .milliseconds(20))
                version = try await seller.call(GatewayMethods.getCase, .with { $0.caseID = caseID }).record.version
                attemptKey = "\(key)/\(attempt)"
            }
        }
        throw BenchmarkError("case \(caseID): its version kept moving")
    }
}
