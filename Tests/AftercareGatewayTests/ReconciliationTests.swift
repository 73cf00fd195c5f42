import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import SwiftProtobuf
import Testing

extension GatewayExecutableTests {
    /// Reconciliation over the six executables: a healthy run reports nothing; each kind of
    /// disagreement, made on purpose by writing one service's database behind its back, is reported
    /// with the records involved (but case_waits_without_saga, which a refused saga makes: see
    /// StepRefusalTests).
    @Suite("Reconciliation")
    struct ReconciliationTests {
        @Test("disagreements written into the services' databases are each reported with their records; nothing else is")
        func injectedDisagreements() async throws {
            try await GatewayWorld.run(arguments: ["payments": ["--payments-simulator-decline-amounts-ending-in", "99"]]) { world in
                // A refunded case, a case whose refund was declined, and a return waiting for its parcel.
                let refundedOrder = try await world.paidOrder([("sku_rc1", 1, 5_000)])
                let refunded = try await world.apply(.refundOnly, refundedOrder, reason: .other).record.caseID
                let declinedOrder = try await world.paidOrder([("sku_rc2", 1, 4_999)], shippingFee: 1)
                let declined = try await world.apply(.refundOnly, declinedOrder, reason: .other).record.caseID
                let movedOrder = try await world.paidOrder([("sku_rc4", 1, 3_000)])
                let moved = try await world.apply(.refundOnly, movedOrder, reason: .other).record.caseID
                let unpaidOrder = try await world.paidOrder([("sku_rc5", 1, 2_000)])
                let unpaid = try await world.apply(.refundOnly, unpaidOrder, reason: .other).record.caseID
                let returnOrder = try await world.deliveredOrder([("sku_rc3", 1, 6_000)], tracking: "ZTORC0000001")
                let returning = try await world.apply(.returnAndRefund, returnOrder).record.caseID

                let r = try await world.caseView(refunded, while: ["APPROVED", "REFUNDING"])
                let d = try await world.caseView(declined, while: ["APPROVED", "REFUNDING"])
                let a = try await world.caseView(returning, while: ["APPROVED"])
                let m = try await world.caseView(moved, while: ["APPROVED", "REFUNDING"])
                let u = try await world.caseView(unpaid, while: ["APPROVED", "REFUNDING"])
                #expect([r.record.state, d.record.state, a.record.state, m.record.state, u.record.state] == [
                    "REFUNDED", "REFUND_FAILED", "AWAITING_RETURN_SHIPMENT", "REFUNDED", "REFUNDED",
                ])
                let healthy = try await world.cli.call(OperationsMethods.reconcile, .init(), key: nil)
                #expect(healthy.disagreements.isEmpty, "\(healthy.disagreements.map(\.description_p))")
                #expect(healthy.casesChecked == 5)

                // Behind the services' backs.
                let declinedRefund = try #require(try await world.cli.call(GatewayMethods.getOrder, .with { $0.orderID = declinedOrder.orderID }, key: nil).refunds.first)
                #expect(try await world.writeDatabase("orders", "UPDATE orders SET refunded_minor = refunded_minor - 100 WHERE order_id = ?", [refundedOrder.orderID]) == 1)
                #expect(try await world.writeDatabase("orders", "UPDATE reservations SET status = 'open' WHERE case_id = ?", [refunded]) == 1)
                #expect(try await world.writeDatabase("orders", "UPDATE reservations SET status = 'released' WHERE case_id = ?", [returning]) == 1)
                #expect(try await world.writeDatabase("payments", "UPDATE refunds SET status = 'succeeded' WHERE refund_id = ?", [declinedRefund.refundID]) == 1)
                #expect(try await world.writeDatabase("logistics", "UPDATE shipments SET state = 'cancelled' WHERE shipment_id = ?", [a.record.returnShipment.shipmentID]) == 1)
                // A case moved back behind its completed Refund saga; a refunded case whose refund payments lost.
                #expect(try await world.rewriteCaseState(moved, to: "REFUNDING") == 1)
                #expect(try await world.writeDatabase("payments", "UPDATE refunds SET status = 'failed' WHERE refund_id = ?", [u.record.refundID]) == 1)
                let movedSaga = try #require(m.sagas.first?.sagaID)
                let stuckSaga = try #require(r.sagas.first?.sagaID)
                #expect(try await world.writeDatabase("gateway", "UPDATE sagas SET state = 'stuck', reason = 'injected' WHERE saga_id = ?", [stuckSaga]) == 1)

                let report = try await world.cli.call(OperationsMethods.reconcile, .init(), key: nil)
                let found = Set(report.disagreements.map { Finding($0) })
                let expected: Set<Finding> = [
                    Finding("order_refunded_mismatch", ["orders/order/\(refundedOrder.orderID)", "payments/refund/\(r.record.refundID)"]),
                    Finding("reservation_without_saga", ["aftersales/case/\(refunded)", "orders/reservation/\(refunded)"]),
                    Finding("reservation_missing", ["aftersales/case/\(returning)", "orders/reservation/\(returning)"]),
                    Finding(
                        "refund_succeeded_case_not_refunded",
                        ["payments/refund/\(declinedRefund.refundID)", "aftersales/case/\(declined)", "gateway/saga/\(declinedRefund.sagaID)"]),
                    Finding("order_refunded_mismatch", ["orders/order/\(declinedOrder.orderID)", "payments/refund/\(declinedRefund.refundID)"]),
                    Finding("return_shipment_mismatch", ["aftersales/case/\(returning)", "logistics/shipment/\(a.record.returnShipment.shipmentID)"]),
                    Finding("saga_stuck", ["gateway/saga/\(stuckSaga)", "aftersales/case/\(refunded)"]),
                    Finding("saga_case_mismatch", ["gateway/saga/\(movedSaga)", "aftersales/case/\(moved)"]),
                    Finding("refund_succeeded_case_not_refunded", ["payments/refund/\(m.record.refundID)", "aftersales/case/\(moved)", "gateway/saga/\(movedSaga)"]),
                    Finding("case_refunded_without_refund", ["aftersales/case/\(unpaid)", "payments/refund/\(u.record.refundID)"]),
                    Finding("order_refunded_mismatch", ["orders/order/\(unpaidOrder.orderID)"]),
                ]
                #expect(found == expected, "\(report.disagreements.map { "\($0.kind): \($0.description_p)" })")
                #expect(report.disagreements.count == expected.count)
            }
        }

        @Test("a service down: what it would tell is reported unreadable, naming it; everything else is still compared; back up, the pass is clean")
        func serviceDown() async throws {
            try await GatewayWorld.run { world in
                let order = try await world.paidOrder([("sku_rd1", 1, 5_000)])
                let caseID = try await world.apply(.refundOnly, order, reason: .other).record.caseID
                #expect(try await world.caseView(caseID, while: ["APPROVED", "REFUNDING"]).record.state == "REFUNDED")
                let other = try await world.paidOrder([("sku_rd2", 1, 3_000)])

                try await world.process("payments").stop()
                let report = try await world.cli.call(OperationsMethods.reconcile, .init(), key: nil)
                #expect(Set(report.disagreements.map(Finding.init)) == [
                    Finding("unreadable", ["orders/order/\(order.orderID)"]), Finding("unreadable", ["orders/order/\(other.orderID)"]),
                ])
                #expect(report.disagreements.allSatisfy { $0.description_p.contains("payments answered UNAVAILABLE") }, "\(report.disagreements.map(\.description_p))")
                #expect(report.casesChecked == 1 && report.refundsChecked == 0)

                try await world.relaunch("payments")
                let healthy = try await world.cli.call(OperationsMethods.reconcile, .init(), key: nil)
                #expect(healthy.disagreements.isEmpty, "\(healthy.disagreements.map(\.description_p))")
                #expect(healthy.casesChecked == 1 && healthy.refundsChecked == 1)
            }
        }

        /// One disagreement as the test compares it: its kind and its records.
        struct Finding: Hashable, CustomStringConvertible {
            var kind: String
            var records: [String]

            init(_ kind: String, _ records: [String]) {
                self.kind = kind
                self.records = records
            }

            init(_ disagreement: Aftercare_Gateway_V1_Disagreement) {
                self.init(disagreement.kind, disagreement.records.map { "\($0.service)/\($0.kind)/\($0.id)" })
            }

            var description: String { "\(self.kind) \(self.records)" }
        }
    }
}
