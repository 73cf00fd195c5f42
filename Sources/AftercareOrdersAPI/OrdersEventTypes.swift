/// The types of the order events on orders' feed: `orders.order.<status name>`, each with the
/// `Aftercare_Orders_V1_Order` as it stands after the change.
public enum OrdersEventTypes {
    /// The event of an order entering `status`.
    public static func order(_ status: Aftercare_Orders_V1_OrderStatus) -> String { "orders.order.\(status.name)" }

    /// A paid order's cancellation was requested: the gateway's Order cancellation saga refunds it.
    public static let cancelling = order(.cancelling)
}
