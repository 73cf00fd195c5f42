import AftercareLogistics
import AftercareLogisticsAPI
import AftercareRPC
import AftercareServiceKit

extension ServiceUnderTest {
    /// logistics: `CreateShipment` of an outbound parcel with its own tracking number and key.
    static let logistics = ServiceUnderTest(
        name: "logistics",
        call: "CreateShipment",
        migrations: .logistics,
        makeServices: { database, clock, feed, ledger in
            [LogisticsService(database: database, clock: clock, feed: feed, ledger: ledger)]
        },
        makeCall: { client, _, index in
            var request = Aftercare_Logistics_V1_CreateShipmentRequest()
            request.kind = .outbound
            request.orderID = "ord_bench_\(index)"
            request.carrier = "sf_express"
            request.trackingNumber = "SF\(1_000_000_000 + index)"
            request.buyerID = "buyer_1"
            request.sellerID = "seller_1"
            _ = try await client.unary(LogisticsMethods.createShipment, request, options: .init(idempotencyKey: "ship-\(index)"))
        })
}
