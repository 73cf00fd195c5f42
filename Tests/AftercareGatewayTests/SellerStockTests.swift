import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareOrdersAPI
import AftercareRPC
import AftercareTesting
import SwiftProtobuf
import Testing

extension GatewayExecutableTests {
    /// Sellers keep their stock through the gateway.
    @Suite("Seller stock")
    struct SellerStockTests {
        @Test("a seller sets the stock of a new SKU and owns it; another seller can neither set nor read it; buyers cannot; staff can; an exchange reserves from it")
        func sellerStock() async throws {
            try await GatewayWorld.run { world in
                let set = try await world.seller().call(GatewayMethods.setStock, .with { $0.sku = "sku_st_L"; $0.quantity = 3 }, key: nil).stock
                #expect(set.quantity == 3 && set.sellerID == GatewayWorld.seller)
                let again = try await world.seller().call(GatewayMethods.setStock, .with { $0.sku = "sku_st_L"; $0.quantity = 2 }, key: nil).stock
                #expect(again.quantity == 2 && again.sellerID == GatewayWorld.seller)
                try await expectStatus(.failedPrecondition, containing: "seller_id: sku sku_st_L belongs to seller \(GatewayWorld.seller)") {
                    _ = try await world.seller("seller_other").call(GatewayMethods.setStock, .with { $0.sku = "sku_st_L"; $0.quantity = 99 }, key: nil)
                }
                try await expectStatus(.permissionDenied, containing: "seller_id") {
                    _ = try await world.seller().call(GatewayMethods.setStock, .with { $0.sku = "sku_st_M"; $0.quantity = 1; $0.sellerID = "seller_other" }, key: nil)
                }
                try await expectStatus(.permissionDenied, containing: "sku") {
                    _ = try await world.seller("seller_other").call(GatewayMethods.getStock, .with { $0.sku = "sku_st_L" }, key: nil)
                }
                try await expectStatus(.permissionDenied, containing: "actor") {
                    _ = try await world.buyer().call(GatewayMethods.getStock, .with { $0.sku = "sku_st_L" }, key: nil)
                }
                #expect(try await world.support.call(GatewayMethods.getStock, .with { $0.sku = "sku_st_L" }, key: nil).stock.quantity == 2)

                // An exchange for the seller's SKU reserves a unit of it.
                let order = try await world.deliveredOrder([("sku_st", 1, 6_000)], tracking: "SFSTOCK00001")
                let caseID = try await world.apply(.exchange, order, replacementSKU: "sku_st_L").record.caseID
                _ = try await world.act(GatewayMethods.approve, caseID, by: world.seller())
                let awaiting = try await world.caseView(caseID, while: ["APPROVED"])
                #expect(awaiting.record.state == "AWAITING_RETURN_SHIPMENT")
                #expect(try await world.seller().call(GatewayMethods.getStock, .with { $0.sku = "sku_st_L" }, key: nil).stock.quantity == 1)
            }
        }
    }
}
