public import AftercareRPC

/// The orders service's methods (`aftercare.orders.v1.Orders`), for callers that see only the
/// contract: the gateway, the client library, the CLI. `proto-spec/orders.proto` documents each.
public enum OrdersMethods {
    /// The service's wire name.
    public static let service = "aftercare.orders.v1.Orders"

    public static let createOrder = method(Aftercare_Orders_V1_CreateOrderRequest.self, Aftercare_Orders_V1_OrderResponse.self, "CreateOrder")
    public static let getOrder = method(Aftercare_Orders_V1_GetOrderRequest.self, Aftercare_Orders_V1_OrderResponse.self, "GetOrder")
    public static let listOrders = method(Aftercare_Orders_V1_ListOrdersRequest.self, Aftercare_Orders_V1_ListOrdersResponse.self, "ListOrders")
    public static let markPaid = method(Aftercare_Orders_V1_MarkPaidRequest.self, Aftercare_Orders_V1_OrderResponse.self, "MarkPaid")
    public static let markShipped = method(Aftercare_Orders_V1_MarkShippedRequest.self, Aftercare_Orders_V1_OrderResponse.self, "MarkShipped")
    public static let markDelivered = method(
        Aftercare_Orders_V1_MarkDeliveredRequest.self, Aftercare_Orders_V1_OrderResponse.self, "MarkDelivered")
    public static let completeOrder = method(
        Aftercare_Orders_V1_CompleteOrderRequest.self, Aftercare_Orders_V1_OrderResponse.self, "CompleteOrder")
    public static let cancelOrder = method(Aftercare_Orders_V1_CancelOrderRequest.self, Aftercare_Orders_V1_OrderResponse.self, "CancelOrder")
    public static let requestCancellation = method(
        Aftercare_Orders_V1_CancelOrderRequest.self, Aftercare_Orders_V1_OrderResponse.self, "RequestCancellation")
    public static let finishCancellation = method(
        Aftercare_Orders_V1_FinishCancellationRequest.self, Aftercare_Orders_V1_OrderResponse.self, "FinishCancellation")
    public static let abandonCancellation = method(
        Aftercare_Orders_V1_CancelOrderRequest.self, Aftercare_Orders_V1_OrderResponse.self, "AbandonCancellation")

    public static let reserveRefund = method(
        Aftercare_Orders_V1_ReserveRefundRequest.self, Aftercare_Orders_V1_ReservationResponse.self, "ReserveRefund")
    public static let adjustReservation = method(
        Aftercare_Orders_V1_AdjustReservationRequest.self, Aftercare_Orders_V1_ReservationResponse.self, "AdjustReservation")
    public static let reserveReplacement = method(
        Aftercare_Orders_V1_ReserveReplacementRequest.self, Aftercare_Orders_V1_ReservationResponse.self, "ReserveReplacement")
    public static let releaseReservation = method(
        Aftercare_Orders_V1_ReleaseReservationRequest.self, Aftercare_Orders_V1_ReservationResponse.self, "ReleaseReservation")
    public static let commitRefund = method(
        Aftercare_Orders_V1_CommitRefundRequest.self, Aftercare_Orders_V1_ReservationResponse.self, "CommitRefund")
    public static let commitExchange = method(
        Aftercare_Orders_V1_CommitExchangeRequest.self, Aftercare_Orders_V1_ReservationResponse.self, "CommitExchange")
    public static let getReservation = method(
        Aftercare_Orders_V1_GetReservationRequest.self, Aftercare_Orders_V1_ReservationResponse.self, "GetReservation")

    public static let setStock = method(Aftercare_Orders_V1_SetStockRequest.self, Aftercare_Orders_V1_StockResponse.self, "SetStock")
    public static let restock = method(Aftercare_Orders_V1_RestockRequest.self, Aftercare_Orders_V1_StockResponse.self, "Restock")
    public static let getStock = method(Aftercare_Orders_V1_GetStockRequest.self, Aftercare_Orders_V1_StockResponse.self, "GetStock")

    public static let getTotals = method(Aftercare_Orders_V1_GetTotalsRequest.self, Aftercare_Orders_V1_GetTotalsResponse.self, "GetTotals")

    private static func method<Request, Response>(
        _ request: Request.Type, _ response: Response.Type, _ name: String
    ) -> MethodDescriptor<Request, Response> {
        MethodDescriptor("\(service)/\(name)")
    }
}
