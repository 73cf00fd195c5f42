import SwiftProtobuf
import AftercareAftersalesAPI
import AftercareGateway
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import AftercareSagas
import AftercareTesting
import Testing

/// The Refund saga over the real services: a refund-only case on an unshipped order, paid; a
/// provider's decline compensated, then an operator's retry paid.
@Suite("Refund saga", .serialized)
struct RefundSagaTests {
    @Test("refund-only on an unshipped paid order: reserved, refunding, refunded, committed; a replayed event starts nothing")
    func refundOnlyPaid() async throws {
        try await SagasWorld.run { world, payments in
            try await world.withGateway(payments: payments) { gateway in
                let calls = gateway.calls
                let order = try await calls.paidOrder([("sku_r1", 2, 10_000)], shippingFee: 1_000)
                let opened = try await calls.openCase(.refundOnly, order: order, lines: [(0, 2)], requested: 20_000, reason: .other)
                #expect(opened.state == "APPROVED")

                let saga = try await gateway.runRequestedSaga(GatewaySagas.Name.refund, caseID: opened.caseID)
                #expect(saga.state == .completed)

                let final = try await calls.getCase(opened.caseID)
                #expect(final.record.state == "REFUNDED")
                #expect(final.history.suffix(2).map(\.event) == ["saga Refund: refunding", "saga Refund: refunded"])
                #expect(final.history.last?.sagaID == saga.id)
                let refunds = try await calls.refunds(order.paymentID)
                #expect(refunds.map(\.status) == [.refundSucceeded])
                #expect(refunds.first?.amount == ServiceCalls.cny(20_000))
                #expect(refunds.first?.intentKey == "\(saga.id)/refund/forward")
                #expect(final.record.refundID == refunds.first?.refundID)
                let reservation = try await calls.reservation(opened.caseID).reservation
                #expect(reservation.status == .committed)
                #expect(reservation.committedAmount == ServiceCalls.cny(20_000))
                // Reserved by the Refund itself, not adjusted: no amount before it.
                #expect(reservation.sagaID == saga.id && !reservation.hasPreviousAmount)
                let after = try await calls.order(order.orderID)
                #expect(after.refunded == ServiceCalls.cny(20_000))
                #expect(after.reserved == ServiceCalls.cny(0))
                #expect(after.refundable == ServiceCalls.cny(1_000))
                #expect(after.lines.first?.refundedQuantity == 2)
                #expect(after.lines.first?.returnedQuantity == 0)
                #expect(try await calls.shipments(orderID: order.orderID, caseID: opened.caseID).isEmpty)

                // The same event again: the same saga, nothing new anywhere.
                let event = try await calls.sagaRequested(caseID: opened.caseID, saga: GatewaySagas.Name.refund)
                let again = try await gateway.starter.start(try TestGateway.payload(of: event), from: event)
                #expect(again.id == saga.id)
                #expect(again.state == .completed)
                #expect(try await gateway.engine.list().count == 1)
                #expect(try await calls.refunds(order.paymentID).count == 1)
            }
        }
    }

    @Test("a provider's decline compensates: reservation released, REFUND_FAILED with the reason; the operator's retry is a new saga that pays")
    func declinedThenRetried() async throws {
        try await SagasWorld.run(payments: ["--payments-simulator-decline-amounts-ending-in", "99"]) { world, declining in
            let (caseID, order, failed) = try await world.withGateway(payments: declining) { gateway in
                let calls = gateway.calls
                // Paid 200.00 (the payment is not declined); 199.99 of it refunded (the refund is).
                let order = try await calls.paidOrder([("sku_d1", 1, 19_999)], shippingFee: 1)
                let opened = try await calls.openCase(.refundOnly, order: order, lines: [(0, 1)], requested: 19_999, reason: .other)
                let saga = try await gateway.runRequestedSaga(GatewaySagas.Name.refund, caseID: opened.caseID)
                #expect(saga.state == .compensated)
                let trail = try await gateway.engine.attempts(saga.id).map { "\($0.step)/\($0.direction)=\($0.result.rawValue)" }
                #expect(trail == [
                    "reserve_refund/forward=ok", "record_refunding/forward=ok", "refund/forward=refused",
                    "record_refunding/compensate=ok", "reserve_refund/compensate=ok", "record_refund_failed/forward=ok",
                ])

                let failed = try await calls.getCase(opened.caseID).record
                #expect(failed.state == "REFUND_FAILED")
                #expect(failed.failureReason.contains("declined"))
                #expect(failed.failureReason == saga.values[SagaValues.refusalKey])
                #expect(try await calls.reservation(opened.caseID).reservation.status == .released)
                let after = try await calls.order(order.orderID)
                #expect(after.reserved == ServiceCalls.cny(0))
                #expect(after.refunded == ServiceCalls.cny(0))
                #expect(after.refundable == ServiceCalls.cny(20_000))
                let refunds = try await calls.refunds(order.paymentID)
                #expect(refunds.map(\.status) == [.refundFailed])
                #expect(failed.failureReason.contains(refunds.first?.failureReason ?? "-"))
                return (opened.caseID, order, saga.id)
            }

            // The provider accepts again (payments restarted without declines, same data); an operator retries.
            try await declining.stop()
            let payments = try await ServiceProcess.start("payments", in: world.directory)
            defer { payments.kill() }
            try await world.withGateway(payments: payments) { gateway in
                let calls = gateway.calls
                let retried = try await calls.act(AftersalesMethods.retryRefund, caseID, actor: "operator_1")
                #expect(retried.state == "APPROVED")
                let saga = try await gateway.runRequestedSaga(GatewaySagas.Name.refund, caseID: caseID)
                #expect(saga.id != failed)
                #expect(saga.state == .completed)
                #expect(try await calls.getCase(caseID).record.state == "REFUNDED")
                let refunds = try await calls.refunds(order.paymentID)
                #expect(refunds.map(\.status) == [.refundFailed, .refundSucceeded])
                #expect(refunds.last?.intentKey == "\(saga.id)/refund/forward")
                let reservation = try await calls.reservation(caseID)
                #expect(reservation.reservation.status == .committed)
                #expect(reservation.reservation.sagaID == saga.id)
                #expect(reservation.replaced.map(\.sagaID) == [failed])
                let after = try await calls.order(order.orderID)
                #expect(after.refunded == ServiceCalls.cny(19_999))
                #expect(after.refundable == ServiceCalls.cny(1))
            }
        }
    }
}
