import AftercareOrders
import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit

extension ServiceUnderTest {
    /// orders: `CreateOrder` of a two-line order, each with its own idempotency key.
    static let orders = ServiceUnderTest(
        name: "orders",
        call: "CreateOrder",
        migrations: OrdersMigrations.all,
        makeServices: { database, clock, feed, ledger in
            [OrdersService(database: database, clock: clock, feed: feed, ledger: ledger)]
        },
        makeCall: { client, _, index in
            var request = Aftercare_Orders_V1_CreateOrderRequest()
            request.buyerID = "buyer_\(index % 100)"
            request.sellerID = "seller_1"
            request.currency = "CNY"
            request.shippingFee = Aftercare_Common_V1_Money(800, "CNY")
            request.promisedDeliveryUnixMicros = 1_800_000_000_000_000
            request.lines = [("sku-shirt-red-m", "Shirt", "apparel", 2, 12_900), ("sku-mug", "Mug", "home", 1, 3_500)].map { line in
                var new = Aftercare_Orders_V1_NewOrderLine()
                new.sku = line.0
                new.title = line.1
                new.category = line.2
                new.quantity = Int64(line.3)
                new.unitPrice = Aftercare_Common_V1_Money(Int64(line.4), "CNY")
                return new
            }
            _ = try await client.unary(OrdersMethods.createOrder, request, options: .init(idempotencyKey: "order-\(index)"))
        })
}
