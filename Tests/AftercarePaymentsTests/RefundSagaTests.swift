import AftercarePaymentsAPI
import AftercareRPC
import AftercareServiceKit
import AftercareWire
import SwiftProtobuf
import Testing

@testable import AftercarePayments

/// Refunds as the Refund saga's pivot: keyed by the step, settled through the step ledger, never
/// compensated.
@Suite("Refund in a saga")
struct RefundSagaTests {
    private static func query(_ saga: SagaContext, _ harness: PaymentsHarness) async throws -> Aftercare_Common_V1_QueryStepResponse {
        var query = Aftercare_Common_V1_QueryStepRequest()
        query.sagaID = saga.sagaID
        query.step = saga.step
        return try await harness.client.unary(StepMethods.queryStep, query)
    }

    @Test("in a saga the intent is keyed by the step; its ledger entry goes pending → done, and the step is never compensated")
    func sagaStep() async throws {
        var rules = SimulatorRules()
        rules.timeoutFirstRefunds = 1
        try await PaymentsHarness.run(rules: rules) { harness in
            let payment = try await harness.pay(amount: 10_000)
            let saga = SagaContext(sagaID: "saga_refund_1", step: "refund")
            let pending = try await harness.refund(payment.paymentID, amount: 1_500, saga: saga)
            #expect(pending.intentKey == "saga_refund_1/refund/forward")
            #expect(pending.sagaID == "saga_refund_1")
            #expect(try await Self.query(saga, harness).forward.outcome == .pending)
            _ = try await harness.client.unary(PaymentsMethods.reconcileRefunds, .init())
            let entry = try await Self.query(saga, harness).forward
            #expect(entry.outcome == .done)
            #expect(try Aftercare_Payments_V1_Refund(serializedBytes: entry.response).status == .refundSucceeded)
            #expect(try await harness.refund(payment.paymentID, amount: 1_500, saga: saga).status == .refundSucceeded)

            var undo = saga
            undo.direction = .compensate
            let refused = await #expect(throws: RPCError.self) { try await harness.refund(payment.paymentID, amount: 1_500, saga: undo) }
            #expect(refused?.code == .failedPrecondition)
            var never = SagaContext(sagaID: "saga_refund_2", step: "refund", direction: .compensate)
            #expect(try await harness.refund(payment.paymentID, amount: 1_500, saga: never).refundID.isEmpty)
            never.direction = .forward
            let late = await #expect(throws: RPCError.self) { try await harness.refund(payment.paymentID, amount: 1_500, saga: never) }
            #expect(late?.message.contains("already compensated") == true)
        }
    }

    @Test("in a saga a decline is recorded as a refused step, which a duplicate gets again")
    func sagaDecline() async throws {
        var rules = SimulatorRules()
        rules.declineAmountsEndingIn = "13"
        try await PaymentsHarness.run(rules: rules) { harness in
            let payment = try await harness.pay(amount: 10_000)
            let saga = SagaContext(sagaID: "saga_refund_1", step: "refund")
            let error = await #expect(throws: RPCError.self) { try await harness.refund(payment.paymentID, amount: 1_013, saga: saga) }
            let entry = try await Self.query(saga, harness).forward
            #expect(entry.outcome == .refused)
            #expect(entry.statusMessage == error?.message)
            let again = await #expect(throws: RPCError.self) { try await harness.refund(payment.paymentID, amount: 1_013, saga: saga) }
            #expect(again?.message == error?.message)
        }
    }

    @Test("a compensation arriving while the forward refund is pending is refused; the forward's retry still settles it, once")
    func compensationWhilePending() async throws {
        var rules = SimulatorRules()
        rules.timeoutFirstRefunds = 1
        try await PaymentsHarness.run(rules: rules) { harness in
            let payment = try await harness.pay(amount: 10_000)
            let saga = SagaContext(sagaID: "saga_refund_1", step: "refund")
            let pending = try await harness.refund(payment.paymentID, amount: 1_500, saga: saga)
            #expect(pending.status == .refundPending)
            var undo = saga
            undo.direction = .compensate
            let refused = await #expect(throws: RPCError.self) { try await harness.refund(payment.paymentID, amount: 1_500, saga: undo) }
            #expect(refused?.code == .failedPrecondition)
            #expect(refused?.message.contains("never compensated") == true)

            // The provider paid (its answer was lost): the saga's retry must learn that, not "compensated".
            let settled = try await harness.refund(payment.paymentID, amount: 1_500, saga: saga)
            #expect(settled.status == .refundSucceeded)
            #expect(settled.refundID == pending.refundID)
            let entry = try await Self.query(saga, harness)
            #expect(entry.forward.outcome == .done)
            #expect(entry.compensate.outcome == .refused)
            #expect(try await harness.refund(payment.paymentID, amount: 1_500, saga: saga) == settled)
            #expect(try await harness.ledger.refunds(of: payment.providerReference).map(\.requests) == [1])
        }
    }

    @Test("a saga call is keyed by its step whatever idempotency key it carries: a second key for the step pays nothing more")
    func sagaKeyedByStep() async throws {
        try await PaymentsHarness.run { harness in
            let payment = try await harness.pay(amount: 10_000)
            let saga = SagaContext(sagaID: "saga_refund_1", step: "refund")
            let first = try await harness.refund(payment.paymentID, amount: 1_500, key: "attempt-1", saga: saga)
            #expect(first.status == .refundSucceeded)
            #expect(first.intentKey == "saga_refund_1/refund/forward")
            let second = try await harness.refund(payment.paymentID, amount: 1_500, key: "attempt-2", saga: saga)
            #expect(second == first)
            #expect(try await harness.ledger.refunds(of: payment.providerReference).count == 1)
            #expect(try await harness.listRefunds(payment.paymentID).totals.refunded.amountMinor == 1_500)
        }
    }
}
