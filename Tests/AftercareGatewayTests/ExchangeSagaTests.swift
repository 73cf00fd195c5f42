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

/// An exchange's Return setup and Exchange fulfilment over the real services.
@Suite("Exchange sagas", .serialized)
struct ExchangeSagaTests {
    /// A delivered order of one unit of `sku` at 100.00 and an exchange of it for `sku`_L that the
    /// seller approved.
    static func approvedExchange(_ calls: ServiceCalls, sku: String) async throws -> (Aftercare_Orders_V1_Order, String) {
        let order = try await calls.paidOrder([(sku, 1, 10_000)], status: "delivered")
        let opened = try await calls.openCase(.exchange, order: order, lines: [(0, 1)], requested: 10_000, replacementSKU: "\(sku)_L")
        #expect(opened.state == "PENDING_SELLER")
        #expect(try await calls.act(AftersalesMethods.approve, opened.caseID).state == "APPROVED")
        return (order, opened.caseID)
    }

    @Test("an exchange fulfilled: the replacement reserved at setup, the return inspected, the exchange committed and shipped, then delivered")
    func exchangeFulfilled() async throws {
        try await SagasWorld.run { world, payments in
            try await world.withGateway(payments: payments) { gateway in
                let calls = gateway.calls
                try await calls.setStock("sku_ex_L", 3)
                let (order, caseID) = try await Self.approvedExchange(calls, sku: "sku_ex")
                let setup = try await gateway.runRequestedSaga(GatewaySagas.Name.returnSetup, caseID: caseID)
                #expect(setup.state == .completed)
                #expect(try await calls.getCase(caseID).record.state == "AWAITING_RETURN_SHIPMENT")
                let reserved = try await calls.reservation(caseID).reservation
                #expect(reserved.kind == .replacement)
                #expect(reserved.status == .open)
                #expect(reserved.quantity == 1)
                #expect(try await calls.stock("sku_ex_L") == 2)

                let returnShipment = try await calls.getCase(caseID).record.returnShipment.shipmentID
                _ = try await gateway.carrierEvent(returnShipment, to: .delivered)
                #expect(try await calls.getCase(caseID).record.state == "RETURN_DELIVERED")
                #expect(try await calls.act(AftersalesMethods.confirmReceipt, caseID).state == "INSPECTING")
                #expect(try await calls.inspect(caseID, [(1, 0)]).state == "RETURN_ACCEPTED")

                let fulfilment = try await gateway.runRequestedSaga(GatewaySagas.Name.exchangeFulfilment, caseID: caseID)
                #expect(fulfilment.state == .completed)
                let shipped = try await calls.getCase(caseID).record
                #expect(shipped.state == "REPLACEMENT_SHIPPED")
                let shipments = try await calls.shipments(orderID: order.orderID, caseID: caseID)
                #expect(shipments.map(\.kind) == [.return, .replacement])
                let replacement = try #require(shipments.last)
                #expect(shipped.replacementShipment.shipmentID == replacement.shipmentID)
                #expect(replacement.trackingNumber == fulfilment.values["tracking_number"])
                let committed = try await calls.reservation(caseID).reservation
                #expect(committed.status == .committed)
                // Reserved by the setup, taken over by the fulfilment, whose compensation would release it.
                #expect(committed.sagaID == fulfilment.id && committed.sagaID != setup.id)
                let after = try await calls.order(order.orderID)
                #expect(after.lines.map(\.sku) == ["sku_ex_L"])
                #expect(after.lines.first?.returnedQuantity == 1)
                #expect(after.lines.first?.exchangedQuantity == 1)
                #expect(after.refunded == ServiceCalls.cny(0))
                // The returned unit was accepted in good condition: back on sale.
                #expect(try await calls.stock("sku_ex") == 1)
                #expect(try await calls.stock("sku_ex_L") == 2)

                _ = try await gateway.carrierEvent(replacement.shipmentID, to: .delivered)
                #expect(try await calls.getCase(caseID).record.state == "EXCHANGED")
                #expect(try await calls.refunds(order.paymentID).isEmpty)
            }
        }
    }

    @Test("an exchange whose replacement is out of stock: Return setup refused and compensated, the case offers a conversion")
    func outOfStockAtSetup() async throws {
        try await SagasWorld.run { world, payments in
            try await world.withGateway(payments: payments) { gateway in
                let calls = gateway.calls
                try await calls.setStock("sku_os_L", 0)
                let (order, caseID) = try await Self.approvedExchange(calls, sku: "sku_os")
                let setup = try await gateway.runRequestedSaga(GatewaySagas.Name.returnSetup, caseID: caseID)
                #expect(setup.state == .compensated)
                #expect(try await gateway.engine.attempts(setup.id).map { "\($0.step)/\($0.result.rawValue)" } == [
                    "reserve/refused", "record_not_set_up/ok",
                ])
                let response = try await calls.getCase(caseID)
                let record = response.record
                #expect(record.state == "CONVERSION_OFFERED")
                #expect(response.history.last?.event == "saga Return setup: replacement out of stock")
                #expect(response.history.last?.note.contains("stock of sku_os_L: 0 available") == true)
                #expect(record.timers.contains { $0.name == "T_offer" && $0.status == .running })
                await #expect(throws: RPCError.self) { try await calls.reservation(caseID) }
                #expect(try await calls.shipments(orderID: order.orderID, caseID: caseID).isEmpty)
                #expect(try await calls.stock("sku_os_L") == 0)
                #expect(try await calls.order(order.orderID).reserved == ServiceCalls.cny(0))
            }
        }
    }
}
