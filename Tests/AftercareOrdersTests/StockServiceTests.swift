import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit
import SwiftProtobuf
import Testing

/// Stock per SKU over the in-process transport: setting, restocking by case or by key.
@Suite("stock")
struct StockServiceTests {
    @Test("SetStock is idempotent by itself: the same quantity again writes nothing")
    func setStock() async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { (client: OrdersClient) async throws in
            #expect(try await client.call(OrdersMethods.getStock, .with { $0.sku = "tea-green" }).stock.updatedAtUnixMicros == 0)
            try await client.setStock("tea-green", 5)
            let before = try await fixture.dump()
            try await client.setStock("tea-green", 5)
            #expect(try await fixture.dump() == before)
            try await client.setStock("tea-green", 0)
            #expect(try await client.stock("tea-green") == 0)
        }
        #expect(try await fixture.eventTypes() == ["orders.stock.changed", "orders.stock.changed"])
        let last = try await fixture.feed.read(afterSeq: 1, limit: 1).first?.payload(as: Aftercare_Orders_V1_Stock.self)
        #expect(last?.sku == "tea-green" && last?.quantity == 0)
    }

    @Test("Restock happens once per case and SKU; without a case it needs an idempotency key")
    func restock() async throws {
        let fixture = try OrdersFixture()
        try await fixture.run { (client: OrdersClient) async throws in
            let byCase = Aftercare_Orders_V1_RestockRequest.with { $0.sku = "cup-red"; $0.quantity = 2; $0.caseID = "case_1"; $0.reason = "accepted" }
            #expect(try await client.call(OrdersMethods.restock, byCase).stock.quantity == 2)
            #expect(try await client.call(OrdersMethods.restock, byCase).stock.quantity == 2)

            let byKey = Aftercare_Orders_V1_RestockRequest.with { $0.sku = "cup-red"; $0.quantity = 3 }
            let missing = await #expect(throws: RPCError.self) { _ = try await client.call(OrdersMethods.restock, byKey) }
            #expect(missing?.message.hasPrefix("idempotency_key:") == true)
            #expect(try await client.call(OrdersMethods.restock, byKey, key: "rs-1").stock.quantity == 5)
            #expect(try await client.call(OrdersMethods.restock, byKey, key: "rs-1").stock.quantity == 5)
            #expect(try await client.stock("cup-red") == 5)
        }
        let events = try await fixture.feed.read(afterSeq: 0, limit: 10)
        #expect(events.map(\.subjects.caseID) == ["case_1", ""])
    }
}
