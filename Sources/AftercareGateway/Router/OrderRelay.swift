package import AftercareRPC
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercareServiceKit
import AftercareWire

/// Tells orders what logistics learns of an order's outbound parcel: when it is delivered, the
/// order is marked delivered (and shipped first, if the seller's ShipOrder stopped between its
/// shipment and its order update). Orders' transitions are idempotent by themselves; an order
/// already past delivery (completed) or cancelled is left as it is.
package struct OrderRelay: EventHandler {
    let orders: RPCClient
    let callTimeout: Duration

    /// - Parameters:
    ///   - orders: a running client of the orders service.
    ///   - callTimeout: each call's deadline (default 10 s); a failed call fails the event, which
    ///     the router delivers again.
    package init(orders: RPCClient, callTimeout: Duration = .seconds(10)) {
        self.orders = orders
        self.callTimeout = callTimeout
    }

    package func handle(_ event: Aftercare_Common_V1_Event) async throws {
        guard event.type == LogisticsEventTypes.delivered, let change = event.payload(as: Aftercare_Logistics_V1_ShipmentChanged.self),
            change.shipment.kind == .outbound, change.shipment.state == .delivered, !change.shipment.orderID.isEmpty
        else { return }
        let options = CallOptions(timeout: self.callTimeout, traceParent: event.causedCallParent)
        var get = Aftercare_Orders_V1_GetOrderRequest()
        get.orderID = change.shipment.orderID
        var order = try await self.orders.unary(OrdersMethods.getOrder, get, options: options).order
        if order.status == .paid {
            var shipped = Aftercare_Orders_V1_MarkShippedRequest()
            shipped.orderID = order.orderID
            order = try await self.orders.unary(OrdersMethods.markShipped, shipped, options: options).order
        }
        guard order.status == .shipped else { return }
        var delivered = Aftercare_Orders_V1_MarkDeliveredRequest()
        delivered.orderID = order.orderID
        _ = try await self.orders.unary(OrdersMethods.markDelivered, delivered, options: options)
    }
}
