import AftercareAftersalesAPI
import AftercareFeedbackAPI
import AftercareGatewayAPI
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import AftercareTesting
import SwiftProtobuf
import Testing

extension GatewayExecutableTests {
    /// A return-and-refund through the public API over the six executables: the seller ships, the
    /// carrier delivers (the gateway marks the order delivered and tells feedback), the buyer reviews
    /// one line and returns the other; the gateway's sagas make the label, follow the parcel back and
    /// refund what the inspection accepted.
    @Suite("Public API: returns")
    struct PublicReturnTests {
        @Test("shipped, delivered and reviewed; a no-reason return through pick-up, transit, delivery and an inspection with a damaged unit: half refunded")
        func returnWithDamagedUnit() async throws {
            try await GatewayWorld.run { world in
                let order = try await world.paidOrder([("sku_prt", 2, 10_000), ("sku_prt_cup", 1, 3_000)])
                let shipped = try await world.seller().call(
                    GatewayMethods.shipOrder, .with { $0.orderID = order.orderID; $0.carrier = "sf_express"; $0.trackingNumber = "SFPRT0000001" })
                #expect(shipped.order.status == .shipped)
                #expect(shipped.shipment.kind == .outbound)
                try await world.deliver(shipped.shipment.shipmentID)
                let delivered = try await world.orderView(order.orderID, until: { $0.order.status == .delivered && $0.reviews.count == 2 })
                #expect(delivered.order.status == .delivered)

                // The buyer reviews the cup; the seller replies.
                let cupReview = try #require(delivered.reviews.first { $0.lineID == order.lines[1].lineID })
                let review = try await world.buyer().call(
                    GatewayMethods.submitReview,
                    .with {
                        $0.reviewID = cupReview.reviewID
                        $0.stars = 5
                        $0.scores = .with { $0.itemAsDescribed = 5; $0.sellerService = 5; $0.deliverySpeed = 5 }
                        $0.comment = "Lovely glaze."
                    })
                #expect(review.buyerID == GatewayWorld.buyer)
                try await expectStatus(.permissionDenied, containing: "seller_id") {
                    _ = try await world.seller("seller_other").call(GatewayMethods.replyToReview, .with { $0.reviewID = review.reviewID; $0.reply = "?" })
                }
                let replied = try await world.seller().call(GatewayMethods.replyToReview, .with { $0.reviewID = review.reviewID; $0.reply = "Thank you!" })
                #expect(replied.reply == "Thank you!")

                // A no-reason return of both tins: approved at once; Return setup makes the label.
                let opened = try await world.buyer().call(
                    GatewayMethods.apply,
                    .with {
                        $0.kind = .returnAndRefund
                        $0.orderID = order.orderID
                        $0.reason = .noReason7D
                        $0.lines = [.with { $0.lineID = order.lines[0].lineID; $0.quantity = 2 }]
                    })
                #expect(opened.decision.outcome == "approve")
                let caseID = opened.record.caseID
                let awaiting = try await world.caseView(caseID, while: ["APPROVED"])
                #expect(awaiting.record.state == "AWAITING_RETURN_SHIPMENT")
                let returnShipment = awaiting.record.returnShipment.shipmentID
                #expect(returnShipment.hasPrefix("shp_"))

                // The parcel goes back: picked up, scanned, delivered — each a Carrier progress saga.
                try await world.deliver(returnShipment)
                let back = try await world.caseView(caseID, while: ["AWAITING_RETURN_SHIPMENT", "RETURN_IN_TRANSIT"])
                #expect(back.record.state == "RETURN_DELIVERED")

                // The seller confirms and inspects: one unit fine, one damaged.
                let inspecting = try await world.seller().call(GatewayMethods.confirmReceipt, .with { $0.caseID = caseID; $0.version = back.record.version })
                #expect(inspecting.record.state == "INSPECTING")
                let inspected = try await world.seller().call(
                    GatewayMethods.inspect,
                    .with {
                        $0.action = .with { $0.caseID = caseID; $0.version = inspecting.record.version }
                        $0.lines = [.with { $0.lineID = order.lines[0].lineID; $0.receivedOk = 1; $0.damaged = 1 }]
                    })
                #expect(inspected.record.state == "REFUND_APPROVED")
                #expect(inspected.record.amount == GatewayWorld.cny(10_000))
                let refunded = try await world.caseView(caseID, while: ["REFUND_APPROVED", "REFUNDING"])
                #expect(refunded.record.state == "REFUNDED")
                #expect(refunded.sagas.map(\.definition) == ["Return setup", "Carrier progress", "Carrier progress", "Carrier progress", "Refund"])
                #expect(refunded.sagas.allSatisfy { $0.state == "completed" })

                let final = try await world.buyer().call(GatewayMethods.getOrder, .with { $0.orderID = order.orderID }, key: nil)
                #expect(final.order.refunded == GatewayWorld.cny(10_000))
                #expect(final.order.reserved == GatewayWorld.cny(0))
                #expect(final.refunds.map(\.amount) == [GatewayWorld.cny(10_000)])
                #expect(final.shipments.map(\.kind) == [.outbound, .return])
                let report = try await world.cli.call(OperationsMethods.reconcile, .init(), key: nil)
                #expect(report.disagreements.isEmpty, "\(report.disagreements.map(\.description_p))")
                #expect(report.shipmentsChecked == 1)
            }
        }
    }
}
