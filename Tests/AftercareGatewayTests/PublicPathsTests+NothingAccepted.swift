import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareOrdersAPI
import AftercareRPC
import AftercareTesting
import SwiftProtobuf
import Testing

extension GatewayExecutableTests.PublicPathsTests {
    /// Before the `nothing_accepted` row, the buyer's acceptance set the amount to the inspected
    /// zero and started a Refund saga, which payments refused: the case ended REFUND_FAILED with a
    /// failed refund on the order.
    @Test("the buyer accepts an inspection that accepted nothing: no refund is asked for, the goods go back, the case closes rejected")
    func acceptingNothing() async throws {
        try await GatewayWorld.run { world in
            let order = try await world.deliveredOrder([("sku_nothing", 2, 4_500)], tracking: "SFNOTHING0001")
            let caseID = try await world.apply(.returnAndRefund, order).record.caseID
            let awaiting = try await world.caseView(caseID, while: ["APPROVED"])
            #expect(awaiting.record.state == "AWAITING_RETURN_SHIPMENT")
            try await world.disputeEveryLine(caseID, returnShipmentID: awaiting.record.returnShipment.shipmentID)

            let accepted = try await world.act(GatewayMethods.acceptPartial, caseID, by: world.buyer())
            #expect(accepted.state == "RETURNING_TO_BUYER")
            let sending = try await world.caseView(caseID, until: { !$0.record.backToBuyerShipment.shipmentID.isEmpty })
            try await world.deliver(sending.record.backToBuyerShipment.shipmentID)
            let closed = try await world.caseView(caseID, while: ["RETURNING_TO_BUYER"])
            #expect(closed.record.state == "CLOSED_REJECTED")
            #expect(closed.sagas.map(\.definition).filter { $0 != "Carrier progress" } == ["Return setup", "Return to buyer"])
            #expect(closed.history.contains { $0.event == "buyer.accept_partial" && $0.toState == "RETURNING_TO_BUYER" })

            let view = try await world.cli.call(GatewayMethods.getOrder, .with { $0.orderID = order.orderID }, key: nil)
            #expect(view.refunds.isEmpty)
            #expect(view.order.refunded == GatewayWorld.cny(0))
            #expect(view.order.refundable == GatewayWorld.cny(9_000))
            let released = try await world.direct["orders"]!.unary(OrdersMethods.getReservation, .with { $0.caseID = caseID }).reservation
            #expect(released.status == .released)
            let report = try await world.cli.call(OperationsMethods.reconcile, .init(), key: nil)
            #expect(report.disagreements.isEmpty, "\(report.disagreements.map(\.description_p))")
        }
    }
}
