import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import AftercareTesting
import SwiftProtobuf
import Testing

extension GatewayExecutableTests {
    /// The Refund saga through the gateway's own fault-injecting clients, over the six executables:
    /// every call it makes delivered twice, and the refund's reply lost after payments paid. Nothing
    /// happens twice: one refund at the provider, one booking in orders, the case refunded once.
    @Suite("Saga calls through faults")
    struct SagaFaultTests {
        static let refundCalls = ["orders/ReserveRefund", "aftersales/RecordRefunding", "payments/Refund", "orders/CommitRefund", "aftersales/RecordRefunded"]

        @Test("every call of the Refund saga delivered twice: paid once, booked once")
        func everyCallDuplicated() async throws {
            try await GatewayWorld.run { world in
                let order = try await world.paidOrder([("sku_dup", 1, 4_200)])
                try await StepRefusalTests.faults(world, Self.refundCalls.map { "duplicate \($0)" }.joined(separator: "\n"))
                let caseID = try await world.apply(.refundOnly, order, reason: .other).record.caseID
                let refunded = try await world.caseView(caseID, while: ["APPROVED", "REFUNDING"])
                try await StepRefusalTests.faults(world, "")
                #expect(refunded.record.state == "REFUNDED")
                #expect(refunded.history.filter { $0.event == "saga Refund: refunded" }.count == 1)
                // Each service served each call twice (its spans say so), and did it once.
                let trace = try await world.cli.call(OperationsMethods.getTrace, .with { $0.traceID = refunded.sagas.first?.traceID ?? "" }, key: nil)
                let served = trace.services.flatMap(\.spans).filter { !$0.saga.sagaID.isEmpty && $0.saga.direction == .forward }
                for call in Self.refundCalls {
                    let method = String(call.split(separator: "/").last ?? "")
                    #expect(served.filter { $0.method.hasSuffix("/\(method)") }.count == 2, "\(call)")
                }
                try await Self.paidOnce(order, amount: 4_200, world)
            }
        }

        @Test("the refund's reply lost after payments paid: the outcome is unknown, QueryStep settles it, nothing is paid twice")
        func replyLost() async throws {
            try await GatewayWorld.run { world in
                let order = try await world.paidOrder([("sku_lost_reply", 1, 3_300)])
                try await StepRefusalTests.faults(world, "drop-reply payments/Refund #1")
                let caseID = try await world.apply(.refundOnly, order, reason: .other).record.caseID
                let refunded = try await world.caseView(caseID, while: ["APPROVED", "REFUNDING"])
                try await StepRefusalTests.faults(world, "")
                #expect(refunded.record.state == "REFUNDED")
                let sagaID = try #require(refunded.sagas.first?.sagaID)
                let attempts = try await world.cli.call(OperationsMethods.getSaga, .with { $0.sagaID = sagaID }, key: nil).attempts
                let refund = attempts.filter { $0.step == "refund" }.map { "\($0.kind)=\($0.result)" }
                #expect(refund.first == "call=unknown")
                #expect(refund.contains("query=queried_done"), "\(refund)")
                try await Self.paidOnce(order, amount: 3_300, world)
            }
        }

        /// Payments paid the order back once, orders booked it once, reconciliation finds nothing.
        static func paidOnce(_ order: Aftercare_Orders_V1_Order, amount: Int64, _ world: GatewayWorld) async throws {
            let view = try await world.cli.call(GatewayMethods.getOrder, .with { $0.orderID = order.orderID }, key: nil)
            #expect(view.refunds.map(\.status) == [.refundSucceeded])
            #expect(view.refunds.first?.amount == GatewayWorld.cny(amount))
            #expect(view.order.refunded == GatewayWorld.cny(amount))
            #expect(view.order.lines.first?.refundedQuantity == 1)
            try await StepRefusalTests.reconciled(world)
        }
    }
}
