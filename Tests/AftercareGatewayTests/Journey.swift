import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import SwiftProtobuf
import AftercareTesting
import Foundation

/// A buyer's whole after-sales journey through the public API, walked by a client that keeps
/// going while processes die (``Persistent``): each ends when its case reached where the journey
/// leads and none of its sagas runs. Prices never end in 99 except the declined refund's, so a
/// payments service declining amounts ending in 99 declines only that.
enum Journey: String, CaseIterable, Sendable {
    /// Refund-only on an unshipped order: Refund → REFUNDED.
    case refundOnly
    /// Refund-only the provider declines: Refund compensated → REFUND_FAILED.
    case declinedRefund
    /// A return approved, its label made, and the buyer never ships: Return setup →
    /// AWAITING_RETURN_SHIPMENT (T_ship closes it CLOSED_EXPIRED once the clock moves 8 days).
    case returnNeverShipped
    /// A return picked up: Return setup, Carrier progress → RETURN_IN_TRANSIT.
    case returnInTransit
    /// A return delivered, accepted and refunded: Return setup, Carrier progress, Refund → REFUNDED.
    case returnRefunded
    /// A return the buyer withdraws before shipping: Return setup, Return cancellation → CLOSED_WITHDRAWN.
    case returnWithdrawn
    /// A dispute the seller wins: … Return to buyer, the goods delivered back → CLOSED_REJECTED.
    case returnToBuyer
    /// An exchange fulfilled: Return setup, Carrier progress, Exchange fulfilment → EXCHANGED.
    case exchanged
    /// An exchange whose replacement is out of stock: Return setup compensated → CONVERSION_OFFERED.
    case exchangeOutOfStock
    /// A paid order the buyer cancels: Order cancellation → the order CANCELLED, refunded (no case:
    /// its walk answers the order's id).
    case orderCancelled

    /// The case kind the journey applies for.
    var kind: Aftercare_Aftersales_V1_CaseKind {
        switch self {
        case .refundOnly, .declinedRefund: .refundOnly
        case .returnNeverShipped, .returnInTransit, .returnRefunded, .returnWithdrawn, .returnToBuyer: .returnAndRefund
        case .exchanged, .exchangeOutOfStock: .exchange
        case .orderCancelled: .unspecified
        }
    }

    /// Where the case ends.
    var finalState: String {
        switch self {
        case .refundOnly, .returnRefunded: "REFUNDED"
        case .declinedRefund: "REFUND_FAILED"
        case .returnNeverShipped: "AWAITING_RETURN_SHIPMENT"
        case .returnInTransit: "RETURN_IN_TRANSIT"
        case .returnWithdrawn: "CLOSED_WITHDRAWN"
        case .returnToBuyer: "CLOSED_REJECTED"
        case .exchanged: "EXCHANGED"
        case .exchangeOutOfStock: "CONVERSION_OFFERED"
        case .orderCancelled: "CANCELLED"
        }
    }

    /// The sagas of its case that end otherwise than completed, as `<definition>: <state>`.
    var sagaEndings: Set<String> {
        switch self {
        case .declinedRefund: ["Refund: compensated"]
        case .exchangeOutOfStock: ["Return setup: compensated"]
        default: []
        }
    }

    /// Walks the journey with SKUs and tracking numbers named after `tag`; answers the case (the
    /// order, for ``orderCancelled``).
    func walk(_ world: GatewayWorld, tag: String) async throws -> String {
        switch self {
        case .orderCancelled:
            let order = try await world.steadyPaidOrder("sku_\(tag)", price: 7_000, shippingFee: 500)
            _ = try await world.buyer().persist(GatewayMethods.cancelOrder, .with { $0.orderID = order.orderID; $0.reason = "changed my mind" }, key: nil)
            _ = try await world.steadyOrder(order.orderID) { $0.status == .cancelled }
            return order.orderID
        case .refundOnly, .declinedRefund:
            let declined = self == .declinedRefund
            let order = try await world.steadyPaidOrder("sku_\(tag)", price: declined ? 19_999 : 6_000, shippingFee: declined ? 1 : 0)
            let caseID = try await world.steadyApply(.refundOnly, order, reason: .other)
            _ = try await world.steadyCase(caseID, while: ["APPROVED", "REFUNDING"])
            return caseID
        case .returnNeverShipped, .returnInTransit, .returnRefunded, .returnWithdrawn, .returnToBuyer:
            let order = try await world.steadyDeliveredOrder("sku_\(tag)", price: 8_000, tracking: "SF\(tag)")
            let caseID = try await world.steadyApply(.returnAndRefund, order, reason: .noReason7D)
            let awaiting = try await world.steadyCase(caseID, while: ["APPROVED"])
            let parcel = awaiting.record.returnShipment.shipmentID
            switch self {
            case .returnInTransit:
                try await world.steadyAdvance(parcel, to: .pickedUp)
                _ = try await world.steadyCase(caseID, while: ["AWAITING_RETURN_SHIPMENT"])
            case .returnRefunded:
                try await world.steadyReturnReceived(caseID, parcel: parcel)
                try await world.steadyInspect(caseID)
                _ = try await world.steadyCase(caseID, while: ["INSPECTING", "REFUND_APPROVED", "REFUNDING"])
            case .returnWithdrawn:
                try await world.steadyAct(GatewayMethods.withdraw, caseID, from: "AWAITING_RETURN_SHIPMENT", by: world.buyer())
                _ = try await world.steadyCase(caseID, while: ["AWAITING_RETURN_SHIPMENT", "RETURN_CANCELLING"])
            case .returnToBuyer:
                try await world.steadySellerWins(caseID, parcel: parcel)
                let sending = try await world.steadyCase(caseID) { !$0.record.backToBuyerShipment.shipmentID.isEmpty }
                try await world.steadyDeliver(sending.record.backToBuyerShipment.shipmentID)
                _ = try await world.steadyCase(caseID, while: ["RETURNING_TO_BUYER"])
            default:
                break
            }
            return caseID
        case .exchanged, .exchangeOutOfStock:
            let replacement = "sku_\(tag)_L"
            try await Persistent.retry("stock of \(replacement)") { try await world.setStock(replacement, self == .exchanged ? 1 : 0, variantOf: "sku_\(tag)", price: 9_000) }
            let order = try await world.steadyDeliveredOrder("sku_\(tag)", price: 9_000, tracking: "SF\(tag)")
            let caseID = try await world.steadyApply(.exchange, order, reason: .noReason7D, replacementSKU: replacement)
            try await world.steadyAct(GatewayMethods.approve, caseID, from: "PENDING_SELLER", by: world.seller())
            let awaiting = try await world.steadyCase(caseID, while: ["APPROVED"])
            guard self == .exchanged else { return caseID }
            try await world.steadyReturnReceived(caseID, parcel: awaiting.record.returnShipment.shipmentID)
            try await world.steadyInspect(caseID)
            let shipped = try await world.steadyCase(caseID, while: ["INSPECTING", "RETURN_ACCEPTED"])
            try await world.steadyDeliver(shipped.record.replacementShipment.shipmentID)
            _ = try await world.steadyCase(caseID, while: ["REPLACEMENT_SHIPPED"])
            return caseID
        }
    }
}

extension GatewayWorld {
    /// The order through the public API, through every outage, once `done` holds (or patience ran out).
    func steadyOrder(_ orderID: String, until done: (Aftercare_Orders_V1_Order) -> Bool) async throws -> Aftercare_Gateway_V1_OrderView {
        let deadline = ContinuousClock.now + Persistent.patience
        while true {
            let view = try? await self.cli.call(GatewayMethods.getOrder, .with { $0.orderID = orderID }, key: nil)
            if let view, done(view.order) { return view }
            guard ContinuousClock.now < deadline else {
                if let view { return view }
                throw TestKitError("order \(orderID) could not be read within \(Persistent.patience)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// A one-line order of `sku` by the buyer, paid through alipay, through every outage.
    func steadyPaidOrder(_ sku: String, price: Int64, shippingFee: Int64 = 0) async throws -> Aftercare_Orders_V1_Order {
        let created = try await self.buyer().persist(GatewayMethods.createOrder, Self.orderRequest([(sku, 1, price)], shippingFee: shippingFee)).order
        let paid = try await self.buyer().persist(GatewayMethods.payOrder, .with { $0.orderID = created.orderID; $0.channel = .alipay })
        guard paid.payment.status == .paymentCaptured else { throw TestKitError("payment \(paid.payment.paymentID) is \(paid.payment.status)") }
        return paid.order
    }

    /// ``steadyPaidOrder(_:price:shippingFee:)`` shipped by the seller and delivered by the carrier
    /// simulator; answered once the gateway has marked it delivered.
    func steadyDeliveredOrder(_ sku: String, price: Int64, tracking: String) async throws -> Aftercare_Orders_V1_Order {
        let order = try await self.steadyPaidOrder(sku, price: price)
        let shipped = try await self.seller().persist(
            GatewayMethods.shipOrder, .with { $0.orderID = order.orderID; $0.carrier = "sf_express"; $0.trackingNumber = tracking })
        try await self.steadyDeliver(shipped.shipment.shipmentID)
        let deadline = ContinuousClock.now + Persistent.patience
        while ContinuousClock.now < deadline {
            if let view = try? await self.buyer().call(GatewayMethods.getOrder, .with { $0.orderID = order.orderID }, key: nil),
                view.order.status == .delivered
            {
                return view.order
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestKitError("order \(order.orderID) was never marked delivered")
    }

    /// The buyer applies for `kind` on the order's one unit; answers the case.
    func steadyApply(
        _ kind: Aftercare_Aftersales_V1_CaseKind, _ order: Aftercare_Orders_V1_Order, reason: Aftercare_Aftersales_V1_CaseReason,
        replacementSKU: String = ""
    ) async throws -> String {
        try await self.buyer().persist(
            GatewayMethods.apply, Self.application(kind, order, reason: reason, replacementSKU: replacementSKU)
        ).record.caseID
    }

    /// The return parcel delivered and the seller's receipt confirmed: the case INSPECTING.
    func steadyReturnReceived(_ caseID: String, parcel: String) async throws {
        try await self.steadyDeliver(parcel)
        _ = try await self.steadyCase(caseID, while: ["AWAITING_RETURN_SHIPMENT", "RETURN_IN_TRANSIT"])
        try await self.steadyAct(GatewayMethods.confirmReceipt, caseID, from: "RETURN_DELIVERED", by: self.seller())
    }

    /// The seller inspects every returned unit as in order.
    func steadyInspect(_ caseID: String) async throws {
        let lines = try await self.steadyCase(caseID) { _ in true }.record.lines
        try await self.steadyAct(caseID, from: "INSPECTING") { version, key in
            _ = try await self.seller().call(
                GatewayMethods.inspect,
                .with {
                    $0.action = .with { $0.caseID = caseID; $0.version = version }
                    $0.lines = lines.map { line in .with { $0.lineID = line.lineID; $0.receivedOk = line.quantity } }
                }, key: key)
        }
    }

    /// The return delivered, disputed by the seller (the wrong item), escalated by the buyer and
    /// ruled for the seller: the case RETURNING_TO_BUYER.
    func steadySellerWins(_ caseID: String, parcel: String) async throws {
        try await self.steadyReturnReceived(caseID, parcel: parcel)
        let lines = try await self.steadyCase(caseID) { _ in true }.record.lines
        try await self.steadyAct(caseID, from: "INSPECTING") { version, key in
            _ = try await self.seller().call(
                GatewayMethods.disputeReceipt,
                .with {
                    $0.action = .with { $0.caseID = caseID; $0.version = version; $0.reasonCode = "wrong_item" }
                    $0.lines = lines.map { line in .with { $0.lineID = line.lineID; $0.wrongItem = line.quantity } }
                    $0.evidence = [.with { $0.kind = .photo; $0.uri = "https://evidence.example/box.jpg"; $0.sha256 = String(repeating: "cd", count: 32) }]
                }, key: key)
        }
        try await self.steadyAct(GatewayMethods.escalate, caseID, from: "RECEIPT_DISPUTED", by: self.buyer())
        try await self.steadyAct(GatewayMethods.ruleForSeller, caseID, from: "ESCALATED_HELD", by: self.support)
    }
}
