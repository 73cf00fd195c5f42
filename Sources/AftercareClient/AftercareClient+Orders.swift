public import AftercareGatewayAPI
public import AftercareLogisticsAPI
public import AftercareOrdersAPI

/// The public API: orders and parcels (`aftercare.gateway.v1.Gateway`).
extension AftercareClient {
    /// A buyer places an order (actor: the buyer; `buyer_id` filled from it). Needs an idempotency key.
    /// `Gateway/CreateOrder`. Retried on transient failures with the same key (the options' or one made for this call).
    public func createOrder(_ request: Aftercare_Orders_V1_CreateOrderRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Orders_V1_OrderResponse {
        try await self.call(GatewayMethods.createOrder, request, options, .keyed)
    }

    /// The buyer pays the order's total through a channel: payments charge it, then orders mark it
    /// paid. A declined charge answers the FAILED payment and leaves the order CREATED (pay again with
    /// a new key). Needs an idempotency key.
    /// `Gateway/PayOrder`. Retried on transient failures with the same key (the options' or one made for this call).
    public func payOrder(_ request: Aftercare_Gateway_V1_PayOrderRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Gateway_V1_PayOrderResponse {
        try await self.call(GatewayMethods.payOrder, request, options, .keyed)
    }

    /// The seller hands a paid order to a carrier: logistics create the outbound shipment with its
    /// tracking number, then orders mark it shipped. Needs an idempotency key.
    /// `Gateway/ShipOrder`. Retried on transient failures with the same key (the options' or one made for this call).
    public func shipOrder(_ request: Aftercare_Gateway_V1_ShipOrderRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Gateway_V1_ShipOrderResponse {
        try await self.call(GatewayMethods.shipOrder, request, options, .keyed)
    }

    /// One order with its payments, refunds, shipments, cases and reviews (buyer, seller, platform,
    /// operator).
    /// `Gateway/GetOrder`. Retried on transient failures.
    public func getOrder(_ request: Aftercare_Gateway_V1_GetOrderRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Gateway_V1_OrderView {
        try await self.call(GatewayMethods.getOrder, request, options, .safe)
    }

    /// A buyer's or a seller's orders, newest first (a buyer or seller sees their own; platform and
    /// operator name the party in the request).
    /// `Gateway/ListOrders`. Retried on transient failures.
    public func listOrders(_ request: Aftercare_Orders_V1_ListOrdersRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Orders_V1_ListOrdersResponse {
        try await self.call(GatewayMethods.listOrders, request, options, .safe)
    }

    /// Sets a SKU's stock (absolute): a seller their own SKUs — the first seller to set a SKU owns
    /// it — platform and operator any. Idempotent by itself. `Gateway/SetStock`. Retried on transient failures.
    public func setStock(_ request: Aftercare_Orders_V1_SetStockRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Orders_V1_StockResponse {
        try await self.call(GatewayMethods.setStock, request, options, .safe)
    }

    /// A SKU's stock and owner (a seller reads their own SKUs and unowned ones).
    /// `Gateway/GetStock`. Retried on transient failures.
    public func getStock(_ request: Aftercare_Orders_V1_GetStockRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Orders_V1_StockResponse {
        try await self.call(GatewayMethods.getStock, request, options, .safe)
    }

    /// The buyer confirms receipt of a delivered order (DELIVERED → COMPLETED); unconfirmed, it
    /// completes by itself at its `auto_complete_at`. Idempotent by itself.
    /// `Gateway/CompleteOrder`. Retried on transient failures.
    public func completeOrder(_ request: Aftercare_Orders_V1_CompleteOrderRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Orders_V1_OrderResponse {
        try await self.call(GatewayMethods.completeOrder, request, options, .safe)
    }

    /// Cancels an order before it ships (a seller gives a `reason`): an unpaid one at once; a paid
    /// one becomes CANCELLING while the Order cancellation saga refunds it, then CANCELLED (or PAID
    /// again if the refund is refused). Idempotent by itself.
    /// `Gateway/CancelOrder`. Retried on transient failures.
    public func cancelOrder(_ request: Aftercare_Orders_V1_CancelOrderRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Orders_V1_OrderResponse {
        try await self.call(GatewayMethods.cancelOrder, request, options, .safe)
    }

    /// Orders created, paid and refunded (O / P / R) in a period, per currency: a buyer's or a
    /// seller's own; platform and operator name any party, or none for the whole platform. A
    /// period that names no end ends now. `Gateway/GetTotals`. Retried on transient failures.
    public func getTotals(_ request: Aftercare_Orders_V1_GetTotalsRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Orders_V1_GetTotalsResponse {
        try await self.call(GatewayMethods.getTotals, request, options, .safe)
    }

    /// A carrier event, as a carrier's webhook delivers it (role `carrier`, or support and operator
    /// acting for a carrier that cannot call). Idempotent by (carrier, carrier_event_id); no key.
    /// `Gateway/IngestCarrierEvent`. Retried on transient failures.
    public func ingestCarrierEvent(_ request: Aftercare_Logistics_V1_IngestCarrierEventRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Logistics_V1_IngestCarrierEventResponse {
        try await self.call(GatewayMethods.ingestCarrierEvent, request, options, .safe)
    }

    /// The built-in carrier simulator moves a shipment on (demos and tests; refused unless logistics
    /// runs its simulator). Support and operator; idempotent by `carrier_event_id` when given.
    /// `Gateway/AdvanceShipment`. Retried on transient failures.
    public func advanceShipment(_ request: Aftercare_Logistics_V1_AdvanceShipmentRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Logistics_V1_IngestCarrierEventResponse {
        try await self.call(GatewayMethods.advanceShipment, request, options, .safe)
    }

    /// The buyer ships the return of their case with their own carrier instead of the label (the
    /// label becomes void). Only while the case awaits the return. Needs an idempotency key.
    /// `Gateway/RegisterReturnTracking`. Retried on transient failures with the same key (the options' or one made for this call).
    public func registerReturnTracking(_ request: Aftercare_Gateway_V1_RegisterReturnTrackingRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Logistics_V1_Shipment {
        try await self.call(GatewayMethods.registerReturnTracking, request, options, .keyed)
    }

    /// One shipment with its history (the order's buyer or seller, platform, operator).
    /// `Gateway/GetShipment`. Retried on transient failures.
    public func getShipment(_ request: Aftercare_Logistics_V1_GetShipmentRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Logistics_V1_Shipment {
        try await self.call(GatewayMethods.getShipment, request, options, .safe)
    }
}
