import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareOrdersAPI
import AftercareRPC
import AftercareTesting
import SwiftProtobuf
import Testing

extension GatewayExecutableTests {
    /// Sellers keep their stock and catalogue through the gateway, and exchanges keep to it.
    @Suite("Seller stock")
    struct SellerStockTests {
        @Test("a seller sets the stock of a new SKU and owns it; another seller can neither set nor read it; buyers cannot; staff can; an exchange reserves from it")
        func sellerStock() async throws {
            try await GatewayWorld.run { world in
                let set = try await world.seller().call(
                    GatewayMethods.setStock, .with { $0.sku = "sku_st_L"; $0.quantity = 3; $0.productID = "sku_st"; $0.unitPrice = GatewayWorld.cny(6_000) }, key: nil
                ).stock
                #expect(set.quantity == 3 && set.sellerID == GatewayWorld.seller && set.productID == "sku_st" && set.unitPrice == GatewayWorld.cny(6_000))
                let again = try await world.seller().call(GatewayMethods.setStock, .with { $0.sku = "sku_st_L"; $0.quantity = 2 }, key: nil).stock
                #expect(again.quantity == 2 && again.sellerID == GatewayWorld.seller && again.productID == "sku_st", "the catalogue entry stays")
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

        @Test("an exchange for another product, at another price, for a SKU the catalogue does not describe or for another seller's SKU is refused at application, naming replacement_sku")
        func exchangesKeepToTheCatalogue() async throws {
            try await GatewayWorld.run { world in
                let order = try await world.deliveredOrder([("sku_pp", 1, 6_000)], tracking: "SFCATALOG001")
                try await world.setStock("sku_pp_other", 5, variantOf: "sku_qq", price: 6_000)
                try await world.setStock("sku_pp_dear", 5, variantOf: "sku_pp", price: 7_000)
                try await world.setStock("sku_pp_bare", 5)
                _ = try await world.seller("seller_other").call(
                    GatewayMethods.setStock,
                    .with { $0.sku = "sku_pp_theirs"; $0.quantity = 5; $0.productID = "sku_pp"; $0.unitPrice = GatewayWorld.cny(6_000) }, key: nil)
                let refusals = [
                    ("sku_pp_other", "is product sku_qq, line"), ("sku_pp_dear", "costs 70.00 CNY"), ("sku_pp_bare", "the catalogue does not say which product it is"),
                    ("sku_pp_theirs", "another seller's"),
                ]
                for (sku, problem) in refusals {
                    try await expectStatus(.invalidArgument, containing: "replacement_sku: \(sku)") {
                        _ = try await world.apply(.exchange, order, replacementSKU: sku)
                    }
                    try await expectStatus(.invalidArgument, containing: problem) {
                        _ = try await world.apply(.exchange, order, replacementSKU: sku)
                    }
                }
                let cases = try await world.buyer().call(GatewayMethods.listCases, .with { $0.orderID = order.orderID }, key: nil)
                #expect(cases.cases.isEmpty, "a refused application opens no case")
                try await world.setStock("sku_pp_fine", 1, variantOf: "sku_pp", price: 6_000)
                #expect(try await world.apply(.exchange, order, replacementSKU: "sku_pp_fine").record.kind == .exchange)
            }
        }
}
}
