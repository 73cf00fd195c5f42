import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercareRPC
import AftercareTesting
import SwiftProtobuf
import Testing

extension GatewayExecutableTests {
    /// Exchanges through the public API over the six executables: fulfilled, a lost replacement
    /// sent again, and one out of stock converted into a return-and-refund that is refunded.
    @Suite("Public API: exchanges")
    struct PublicExchangeTests {
        @Test("an exchange fulfilled and delivered; a lost replacement reshipped by a new Exchange fulfilment")
        func fulfilledAndReshipped() async throws {
            try await GatewayWorld.run { world in
                let orders = world.direct["orders"]!
                try await world.setStock("sku_xf_L", 5, variantOf: "sku_xf", price: 10_000)
                var done: [String] = []
                for (index, loseFirst) in [false, true].enumerated() {
                    let order = try await world.deliveredOrder([("sku_xf", 1, 10_000)], tracking: "SFEXCH00000\(index)")
                    let caseID = try await Self.exchangeAwaitingReplacement(order, replacementSKU: "sku_xf_L", world)
                    var shipped = try await world.caseView(caseID, while: ["RETURN_ACCEPTED"])
                    #expect(shipped.record.state == "REPLACEMENT_SHIPPED")
                    if loseFirst {
                        let first = shipped.record.replacementShipment.shipmentID
                        try await world.advance(first, to: .pickedUp)
                        try await world.advance(first, to: .lost)
                        // The case is shipped again a moment before the saga that did it is logged completed.
                        shipped = try await world.caseView(caseID, until: { view in
                            view.record.replacementShipment.shipmentID != first && view.record.state == "REPLACEMENT_SHIPPED"
                                && view.sagas.allSatisfy { $0.definition != "Exchange fulfilment" || $0.state == "completed" }
                        })
                        #expect(shipped.record.state == "REPLACEMENT_SHIPPED")
                        #expect(shipped.sagas.filter { $0.definition == "Exchange fulfilment" }.map(\.state) == ["completed", "completed"])
                    }
                    try await world.deliver(shipped.record.replacementShipment.shipmentID)
                    let exchanged = try await world.caseView(caseID, while: ["REPLACEMENT_SHIPPED"])
                    #expect(exchanged.record.state == "EXCHANGED")
                    let after = try await world.buyer().call(GatewayMethods.getOrder, .with { $0.orderID = order.orderID }, key: nil)
                    #expect(after.order.lines.map(\.sku) == ["sku_xf_L"])
                    #expect(after.refunds.isEmpty)
                    #expect(after.shipments.map(\.kind) == [.outbound, .return] + Array(repeating: .replacement, count: loseFirst ? 2 : 1))
                    done.append(caseID)
                }
                // Three replacements left the shelf (one lost); the two returned units came back on sale.
                #expect(try await orders.unary(OrdersMethods.getStock, .with { $0.sku = "sku_xf_L" }).stock.quantity == 2)
                #expect(try await orders.unary(OrdersMethods.getStock, .with { $0.sku = "sku_xf" }).stock.quantity == 2)
                let report = try await world.cli.call(OperationsMethods.reconcile, .init(), key: nil)
                #expect(report.disagreements.isEmpty, "\(report.disagreements.map(\.description_p))")
            }
        }

        @Test("an exchange out of stock: Return setup compensated, the buyer accepts the conversion, the new return-and-refund is refunded")
        func outOfStockConverted() async throws {
            try await GatewayWorld.run { world in
                try await world.setStock("sku_xo_L", 0, variantOf: "sku_xo", price: 9_000)
                let order = try await world.deliveredOrder([("sku_xo", 1, 9_000)], tracking: "SFEXOS000001")
                let opened = try await world.apply(.exchange, order, replacementSKU: "sku_xo_L")
                #expect(opened.record.state == "PENDING_SELLER")
                #expect(try await world.act(GatewayMethods.approve, opened.record.caseID, by: world.seller()).state == "APPROVED")
                let offered = try await world.caseView(opened.record.caseID, while: ["APPROVED"])
                #expect(offered.record.state == "CONVERSION_OFFERED")
                #expect(offered.sagas.map { "\($0.definition): \($0.state)" } == ["Return setup: compensated"])
                let converted = try await world.act(GatewayMethods.acceptOffer, opened.record.caseID, by: world.buyer())
                #expect(converted.state == "CONVERTED")
                let linked = converted.convertedToCaseID
                #expect(!linked.isEmpty)

                let awaiting = try await world.caseView(linked, while: ["APPROVED"])
                #expect(awaiting.record.kind == .returnAndRefund)
                #expect(awaiting.record.state == "AWAITING_RETURN_SHIPMENT")
                try await world.deliver(awaiting.record.returnShipment.shipmentID)
                _ = try await world.caseView(linked, while: ["AWAITING_RETURN_SHIPMENT", "RETURN_IN_TRANSIT"])
                #expect(try await world.act(GatewayMethods.confirmReceipt, linked, by: world.seller()).state == "INSPECTING")
                #expect(try await Self.inspect(linked, receivedOK: 1, world).state == "REFUND_APPROVED")
                let refunded = try await world.caseView(linked, while: ["REFUND_APPROVED", "REFUNDING"])
                #expect(refunded.record.state == "REFUNDED")
                #expect(refunded.record.amount == GatewayWorld.cny(9_000))
                let view = try await world.buyer().call(GatewayMethods.getOrder, .with { $0.orderID = order.orderID }, key: nil)
                #expect(view.order.refunded == GatewayWorld.cny(9_000))
                #expect(Set(view.cases.map(\.caseID)) == [opened.record.caseID, linked])
                let report = try await world.cli.call(OperationsMethods.reconcile, .init(), key: nil)
                #expect(report.disagreements.isEmpty, "\(report.disagreements.map(\.description_p))")
            }
        }

        /// An exchange of the order's line for `replacementSKU`, approved by the seller, its return
        /// delivered, confirmed and accepted: the case in RETURN_ACCEPTED (Exchange fulfilment starting).
        static func exchangeAwaitingReplacement(
            _ order: Aftercare_Orders_V1_Order, replacementSKU: String, _ world: GatewayWorld
        ) async throws -> String {
            let opened = try await world.apply(.exchange, order, replacementSKU: replacementSKU)
            let caseID = opened.record.caseID
            #expect(try await world.act(GatewayMethods.approve, caseID, by: world.seller()).state == "APPROVED")
            let awaiting = try await world.caseView(caseID, while: ["APPROVED"])
            #expect(awaiting.record.state == "AWAITING_RETURN_SHIPMENT")
            try await world.deliver(awaiting.record.returnShipment.shipmentID)
            _ = try await world.caseView(caseID, while: ["AWAITING_RETURN_SHIPMENT", "RETURN_IN_TRANSIT"])
            #expect(try await world.act(GatewayMethods.confirmReceipt, caseID, by: world.seller()).state == "INSPECTING")
            #expect(try await Self.inspect(caseID, receivedOK: 1, world).state == "RETURN_ACCEPTED")
            return caseID
        }

        /// The seller inspects the case's one line: `receivedOK` units in order.
        static func inspect(_ caseID: String, receivedOK: Int64, _ world: GatewayWorld) async throws -> Aftercare_Aftersales_V1_Case {
            let current = try await world.caseView(caseID).record
            return try await world.seller().call(
                GatewayMethods.inspect,
                .with {
                    $0.action = .with { $0.caseID = caseID; $0.version = current.version }
                    $0.lines = current.lines.map { line in .with { $0.lineID = line.lineID; $0.receivedOk = receivedOK } }
                }
            ).record
        }
    }
}
