package import AftercareRPC
import AftercareFeedbackAPI
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercareServiceKit

/// Tells feedback of deliveries: an outbound shipment delivered (`logistics.shipment.delivered`, the
/// shipment now delivered) → `RecordDelivery` for each line of its order (read with orders'
/// `GetOrder`), the shipment being the delivery. The call is idempotent by its natural key
/// (feedback.proto), so a replayed event changes nothing.
///
/// The cases on order lines are not relayed: feedback follows aftersales' feed itself
/// (`AftersalesCaseWriter` in AftercareFeedback).
package struct FeedbackRelay: EventHandler {
    let orders: RPCClient
    let feedback: RPCClient
    let callTimeout: Duration

    /// - Parameters:
    ///   - orders: a running client of the orders service.
    ///   - feedback: a running client of the feedback service.
    ///   - callTimeout: each call's deadline (default 10 s); a failed call fails the event, which
    ///     the router delivers again.
    package init(orders: RPCClient, feedback: RPCClient, callTimeout: Duration = .seconds(10)) {
        self.orders = orders
        self.feedback = feedback
        self.callTimeout = callTimeout
    }

    package func handle(_ event: Aftercare_Common_V1_Event) async throws {
        guard event.type == LogisticsEventTypes.delivered, let change = event.payload(as: Aftercare_Logistics_V1_ShipmentChanged.self),
            change.shipment.kind == .outbound, change.shipment.state == .delivered
        else { return }
        try await self.recordDelivery(of: change.shipment)
    }

    private var options: CallOptions { CallOptions(timeout: self.callTimeout) }

    private func recordDelivery(of shipment: Aftercare_Logistics_V1_Shipment) async throws {
        var get = Aftercare_Orders_V1_GetOrderRequest()
        get.orderID = shipment.orderID
        let order = try await self.orders.unary(OrdersMethods.getOrder, get, options: self.options).order
        for line in order.lines {
            var request = Aftercare_Feedback_V1_RecordDeliveryRequest()
            request.orderID = order.orderID
            request.lineID = line.lineID
            request.deliveryID = shipment.shipmentID
            request.productID = line.sku
            request.buyerID = order.buyerID
            request.sellerID = order.sellerID
            request.deliveredAtUnixMicros = shipment.deliveredAtUnixMicros
            request.promisedDeliveryUnixMicros = order.promisedDeliveryUnixMicros
            _ = try await self.feedback.unary(FeedbackMethods.recordDelivery, request, options: self.options)
        }
    }
}
