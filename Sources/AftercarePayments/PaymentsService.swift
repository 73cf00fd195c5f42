public import AftercareRPC
import AftercarePaymentsAPI
import Logging

/// `aftercare.payments.v1.Payments` (proto-spec/payments.proto): thin handlers over ``Payments``.
public struct PaymentsService: RPCService {
    package let payments: Payments

    public init(payments: Payments) {
        self.payments = payments
    }

    public func register(in router: inout RPCRouter) {
        let payments = self.payments
        router.unary(PaymentsMethods.pay) { request, context in try await payments.pay(request, context: context) }
        router.unary(PaymentsMethods.getPayment) { request, _ in try await payments.getPayment(request) }
        router.unary(PaymentsMethods.listPayments) { request, _ in try await payments.listPayments(request) }
        router.unary(PaymentsMethods.refund) { request, context in try await payments.refund(request, context: context) }
        router.unary(PaymentsMethods.getRefund) { request, _ in try await payments.getRefund(request) }
        router.unary(PaymentsMethods.listRefunds) { request, _ in try await payments.listRefunds(request) }
        router.unary(PaymentsMethods.recordManualPayout) { request, context in try await payments.recordManualPayout(request, context: context) }
        router.unary(PaymentsMethods.reconcileRefunds) { _, context in
            let response = try await payments.reconcile()
            context.logger.info("reconciled on demand", metadata: ["reconcile.refunds_pending": "\(response.refundsPending)"])
            return response
        }
    }
}
