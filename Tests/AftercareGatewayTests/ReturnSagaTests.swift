import AftercareAftersalesAPI
import AftercareGateway
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import AftercareSagas
import AftercareTesting
import SwiftProtobuf
import Testing

/// Return setup, Carrier progress, Return cancellation, Return to buyer and the partial Refund of a
/// return-and-refund case, over the real services.
@Suite("Return sagas", .serialized)
struct ReturnSagaTests {
    /// A delivered order of two units of `sku` at 100.00 and its approved no-reason return of both,
    /// set up by Return setup: the case in AWAITING_RETURN_SHIPMENT, and its return shipment's id.
    static func returnSetUp(_ gateway: TestGateway, sku: String) async throws -> (Aftercare_Orders_V1_Order, String, String) {
        let calls = gateway.calls
        let order = try await calls.paidOrder([(sku, 2, 10_000)], status: "delivered")
        let opened = try await calls.openCase(.returnAndRefund, order: order, lines: [(0, 2)], requested: 20_000)
        #expect(opened.state == "APPROVED")
        let setup = try await gateway.runRequestedSaga(GatewaySagas.Name.returnSetup, caseID: opened.caseID)
        #expect(setup.state == .completed)
        let record = try await calls.getCase(opened.caseID).record
        #expect(record.state == "AWAITING_RETURN_SHIPMENT")
        let shipments = try await calls.shipments(orderID: order.orderID, caseID: opened.caseID)
        #expect(shipments.map(\.kind) == [.return])
        #expect(shipments.first?.state == .labelCreated)
        #expect(shipments.first?.label.trackingNumber == record.returnShipment.trackingNumber)
        #expect(record.returnShipment.shipmentID == shipments.first?.shipmentID)
        #expect(record.returnShipment.shipmentID == setup.values["shipment_id"])
        let reservation = try await calls.reservation(opened.caseID).reservation
        #expect(reservation.status == .open)
        #expect(reservation.kind == .amount)
        #expect(reservation.amount == ServiceCalls.cny(20_000))
        #expect(reservation.sagaID == setup.id)
        #expect(try await calls.order(order.orderID).reserved == ServiceCalls.cny(20_000))
        return (order, opened.caseID, record.returnShipment.shipmentID)
    }

    @Test("return and refund: label, pick-up, a scan, delivery, an inspection with a damaged unit, the partial refund")
    func returnAndPartialRefund() async throws {
        try await SagasWorld.run { world, payments in
            try await world.withGateway(payments: payments) { gateway in
                let calls = gateway.calls
                try await calls.setStock("sku_rt", 10)
                let (order, caseID, shipmentID) = try await Self.returnSetUp(gateway, sku: "sku_rt")

                #expect(try await gateway.carrierEvent(shipmentID).state == .completed)
                #expect(try await calls.getCase(caseID).record.state == "RETURN_IN_TRANSIT")
                _ = try await gateway.carrierEvent(shipmentID)
                let scanned = try await calls.getCase(caseID)
                #expect(scanned.record.state == "RETURN_IN_TRANSIT")
                #expect(scanned.history.last?.recordedOnly == true)
                _ = try await gateway.carrierEvent(shipmentID)
                #expect(try await calls.getCase(caseID).record.state == "RETURN_DELIVERED")

                #expect(try await calls.act(AftersalesMethods.confirmReceipt, caseID).state == "INSPECTING")
                let inspected = try await calls.inspect(caseID, [(1, 1)])
                #expect(inspected.state == "REFUND_APPROVED")
                #expect(inspected.amount == ServiceCalls.cny(10_000))

                let refund = try await gateway.runRequestedSaga(GatewaySagas.Name.refund, caseID: caseID)
                #expect(refund.state == .completed)
                let final = try await calls.getCase(caseID)
                #expect(final.record.state == "REFUNDED")
                #expect(final.history.map(\.event).filter { $0.hasPrefix("saga ") } == [
                    "saga Return setup: awaiting return", "saga Carrier progress: picked up", "saga Carrier progress: other",
                    "saga Carrier progress: delivered", "saga Refund: refunding", "saga Refund: refunded",
                ])
                let reservation = try await calls.reservation(caseID).reservation
                #expect(reservation.status == .committed)
                // The Refund adjusted the Return setup's 200.00 in its one ReserveRefund call.
                #expect(reservation.amount == ServiceCalls.cny(10_000))
                #expect(reservation.previousAmount == ServiceCalls.cny(20_000))
                #expect(reservation.committedAmount == ServiceCalls.cny(10_000))
                let after = try await calls.order(order.orderID)
                #expect(after.refunded == ServiceCalls.cny(10_000))
                #expect(after.reserved == ServiceCalls.cny(0))
                #expect(after.refundable == ServiceCalls.cny(10_000))
                #expect(after.lines.first?.refundedQuantity == 1)
                #expect(after.lines.first?.returnedQuantity == 2)
                // Only the unit received in order goes back on sale.
                #expect(try await calls.stock("sku_rt") == 11)
                let refunds = try await calls.refunds(order.paymentID)
                #expect(refunds.map(\.status) == [.refundSucceeded])
                #expect(refunds.first?.amount == ServiceCalls.cny(10_000))
                #expect(final.record.refundID == refunds.first?.refundID)
                #expect(try await calls.shipments(orderID: order.orderID, caseID: caseID).map(\.state) == [.delivered])
            }
        }
    }

    @Test("a declined refund of a return: the Refund's one ReserveRefund adjusted the Return setup's reservation, its compensation restores it")
    func declinedRefundRestoresTheReturnsReservation() async throws {
        try await SagasWorld.run(payments: ["--payments-simulator-decline-amounts-ending-in", "99"]) { world, declining in
            try await world.withGateway(payments: declining) { gateway in
                let calls = gateway.calls
                // Paid 400.00 (not declined); one of the two units comes back damaged: 199.99 to refund, which the provider declines.
                let order = try await calls.paidOrder([("sku_rd", 2, 19_999)], shippingFee: 2, status: "delivered")
                let opened = try await calls.openCase(.returnAndRefund, order: order, lines: [(0, 2)], requested: 39_998)
                #expect(opened.state == "APPROVED")
                let setup = try await gateway.runRequestedSaga(GatewaySagas.Name.returnSetup, caseID: opened.caseID)
                #expect(setup.state == .completed)
                let shipmentID = try await calls.getCase(opened.caseID).record.returnShipment.shipmentID
                _ = try await gateway.carrierEvent(shipmentID, to: .delivered)
                #expect(try await calls.act(AftersalesMethods.confirmReceipt, opened.caseID).state == "INSPECTING")
                let inspected = try await calls.inspect(opened.caseID, [(1, 1)])
                #expect(inspected.state == "REFUND_APPROVED")
                #expect(inspected.amount == ServiceCalls.cny(19_999))

                let refund = try await gateway.runRequestedSaga(GatewaySagas.Name.refund, caseID: opened.caseID)
                #expect(refund.state == .compensated)
                let trail = try await gateway.engine.attempts(refund.id).map { "\($0.step)/\($0.direction)=\($0.result.rawValue)" }
                #expect(trail.contains("reserve_refund/compensate=ok"))
                #expect(try await calls.getCase(opened.caseID).record.state == "REFUND_FAILED")
                // The setup's reservation is open again with its own amount: not released, not left at 199.99.
                let reservation = try await calls.reservation(opened.caseID).reservation
                #expect(reservation.status == .open && reservation.sagaID == setup.id)
                #expect(reservation.amount == ServiceCalls.cny(39_998))
                #expect(!reservation.hasPreviousAmount)
                let after = try await calls.order(order.orderID)
                #expect(after.reserved == ServiceCalls.cny(39_998))
                #expect(after.refunded == ServiceCalls.cny(0))
            }
        }
    }

    @Test("the buyer never ships: T_ship fires, Return cancellation cancels the label and releases the reservation")
    func returnCancelledAfterShipBy() async throws {
        try await SagasWorld.run { world, payments in
            try await world.withGateway(payments: payments) { gateway in
                let calls = gateway.calls
                let (order, caseID, _) = try await Self.returnSetUp(gateway, sku: "sku_tc")
                try await calls.advanceAftersalesClock(by: 7 * ServiceCalls.day + 3_600_000_000)
                let saga = try await gateway.runRequestedSaga(GatewaySagas.Name.returnCancellation, caseID: caseID)
                #expect(saga.state == .completed)

                let final = try await calls.getCase(caseID)
                #expect(final.record.state == "CLOSED_EXPIRED")
                #expect(final.record.cancellation == "ship_by_expired")
                #expect(final.history.contains { $0.event == "T_ship fired" })
                #expect(try await calls.shipments(orderID: order.orderID, caseID: caseID).map(\.state) == [.cancelled])
                #expect(try await calls.reservation(caseID).reservation.status == .released)
                let after = try await calls.order(order.orderID)
                #expect(after.reserved == ServiceCalls.cny(0))
                #expect(after.refundable == ServiceCalls.cny(20_000))
                #expect(try await calls.refunds(order.paymentID).isEmpty)
            }
        }
    }

    @Test("a withdrawal after the pick-up: the cancellation is refused and compensated, the case goes back in transit")
    func withdrawalAfterPickUp() async throws {
        try await SagasWorld.run { world, payments in
            try await world.withGateway(payments: payments) { gateway in
                let calls = gateway.calls
                let (order, caseID, shipmentID) = try await Self.returnSetUp(gateway, sku: "sku_wp")
                #expect(try await calls.act(AftersalesMethods.withdraw, caseID, actor: ServiceCalls.buyer).state == "RETURN_CANCELLING")
                // The carrier picked the parcel up; its event has not reached the case yet.
                _ = try await calls.advance(shipmentID, to: .pickedUp)
                let saga = try await gateway.runRequestedSaga(GatewaySagas.Name.returnCancellation, caseID: caseID)
                #expect(saga.state == .compensated)
                #expect(try await gateway.engine.attempts(saga.id).map { "\($0.step)/\($0.result.rawValue)" } == [
                    "cancel_return_shipment/refused", "record_already_picked_up/ok",
                ])
                let final = try await calls.getCase(caseID).record
                #expect(final.state == "RETURN_IN_TRANSIT")
                #expect(try await calls.shipments(orderID: order.orderID, caseID: caseID).map(\.state) == [.pickedUp])
                #expect(try await calls.reservation(caseID).reservation.status == .open)
                #expect(try await calls.order(order.orderID).reserved == ServiceCalls.cny(20_000))
            }
        }
    }

    @Test("the seller wins a receipt dispute: Return to buyer ships the goods back and releases the reservation; their delivery closes the case")
    func returnToBuyer() async throws {
        try await SagasWorld.run { world, payments in
            try await world.withGateway(payments: payments) { gateway in
                let calls = gateway.calls
                let (order, caseID, shipmentID) = try await Self.returnSetUp(gateway, sku: "sku_rb")
                _ = try await gateway.carrierEvent(shipmentID, to: .delivered)
                #expect(try await calls.act(AftersalesMethods.confirmReceipt, caseID).state == "INSPECTING")
                #expect(try await calls.disputeReceipt(caseID).state == "RECEIPT_DISPUTED")
                try await calls.advanceAftersalesClock(by: 7 * ServiceCalls.day + 3_600_000_000)
                let saga = try await gateway.runRequestedSaga(GatewaySagas.Name.returnToBuyer, caseID: caseID)
                #expect(saga.state == .completed)

                let record = try await calls.getCase(caseID).record
                #expect(record.state == "RETURNING_TO_BUYER")
                let shipments = try await calls.shipments(orderID: order.orderID, caseID: caseID)
                #expect(shipments.map(\.kind) == [.return, .backToBuyer])
                let back = try #require(shipments.last)
                #expect(back.state == .labelCreated)
                #expect(back.trackingNumber == saga.values["tracking_number"])
                #expect(record.backToBuyerShipment.shipmentID == back.shipmentID)
                #expect(record.backToBuyerShipment.trackingNumber == back.trackingNumber)
                #expect(try await calls.reservation(caseID).reservation.status == .released)
                #expect(try await calls.order(order.orderID).reserved == ServiceCalls.cny(0))

                _ = try await gateway.carrierEvent(back.shipmentID, to: .delivered)
                let closed = try await calls.getCase(caseID).record
                #expect(closed.state == "CLOSED_REJECTED")
                #expect(try await calls.refunds(order.paymentID).isEmpty)
            }
        }
    }
}
