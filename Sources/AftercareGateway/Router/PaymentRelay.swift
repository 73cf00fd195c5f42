package import AftercareRPC
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareServiceKit
import AftercareWire
package import Logging

/// Tells orders what payments captured: the order of a captured payment is marked paid. `PayOrder`
/// does the same at once; this relay is what makes the two agree when the gateway stopped between
/// the capture and the order's update, or when a charge whose answer was lost settled later in
/// payments' background pass. `MarkPaid` is idempotent; an order that cannot take the payment
/// (cancelled meanwhile, or paid by another payment) is logged and left to reconciliation, which
/// reports the capture.
package struct PaymentRelay: EventHandler {
    let orders: RPCClient
    let callTimeout: Duration
    let logger: Logger

    /// - Parameters:
    ///   - orders: a running client of the orders service.
    ///   - callTimeout: each call's deadline (default 10 s); a failed call fails the event, which
    ///     the router delivers again.
    ///   - logger: where a refused capture is reported.
    package init(orders: RPCClient, callTimeout: Duration = .seconds(10), logger: Logger) {
        self.orders = orders
        self.callTimeout = callTimeout
        self.logger = logger
    }

    package func handle(_ event: Aftercare_Common_V1_Event) async throws {
        guard event.type == PaymentsEventTypes.paymentCaptured, let payment = event.payload(as: Aftercare_Payments_V1_Payment.self),
            payment.status == .paymentCaptured, !payment.orderID.isEmpty
        else { return }
        var paid = Aftercare_Orders_V1_MarkPaidRequest()
        paid.orderID = payment.orderID
        paid.paymentID = payment.paymentID
        paid.amount = payment.amount
        do {
            _ = try await self.orders.unary(OrdersMethods.markPaid, paid, options: CallOptions(timeout: self.callTimeout, traceParent: event.causedCallParent))
        } catch let error as RPCError where [.failedPrecondition, .invalidArgument, .notFound].contains(error.code) {
            self.logger.warning(
                "a captured payment cannot pay its order; reconciliation reports it",
                metadata: ["order.id": "\(payment.orderID)", "payment.id": "\(payment.paymentID)", "error": "\(error)", "trace_id": "\(event.traceID)"])
        }
    }
}
