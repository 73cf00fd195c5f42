import AftercareGatewayAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import AftercareSagas

extension ReconcileChecks {
    /// How long a capture may wait for its order to be marked paid before it is reported: `PayOrder`
    /// marks it right after the capture, ``PaymentRelay`` from payments' feed moments later.
    static let captureGraceMicros: Int64 = 60_000_000

    /// A captured payment pays its order: the order names it. Reported for an order cancelled or
    /// paid by another payment at once, for one still CREATED once the capture is older than the
    /// grace.
    static func capturedPayments(_ facts: ReconcileSnapshot.OrderFacts, now: Int64) -> [Aftercare_Gateway_V1_Disagreement] {
        let order = facts.order
        return facts.payments.compactMap { payment in
            guard payment.status == .paymentCaptured, payment.paymentID != order.paymentID,
                order.status != .created || payment.updatedAtUnixMicros <= now - self.captureGraceMicros
            else { return nil }
            let state = order.paymentID.isEmpty ? "\(order.status.name), not paid" : "\(order.status.name), paid by payment \(order.paymentID)"
            return self.disagreement(
                "capture_without_paid_order",
                "payments captured \(payment.amount.formatted) by payment \(payment.paymentID) for order \(order.orderID), which is \(state)",
                [self.ref("payments", "payment", payment.paymentID), self.ref("orders", "order", order.orderID)])
        }
    }

    /// A paid order left CANCELLING has an Order cancellation saga still at work (running,
    /// compensating, or stuck for an operator, which `saga_stuck` reports): its payment is
    /// refunded, or it goes back to PAID, only through one. Reported when none of its sagas is.
    static func cancellingWithoutSaga(_ facts: ReconcileSnapshot.OrderFacts, sagas: [SagaRecord]) -> [Aftercare_Gateway_V1_Disagreement] {
        let order = facts.order
        guard order.status == .cancelling else { return [] }
        let working = sagas.contains {
            $0.definition == GatewaySagas.Name.orderCancellation && $0.values[SagaKey.orderID] == order.orderID
                && ($0.state.isActive || $0.state == .stuck)
        }
        guard !working else { return [] }
        return [
            self.disagreement(
                "cancellation_without_saga",
                "order \(order.orderID) is cancelling, but no Order cancellation saga of it is at work: its payment is neither refunded nor kept",
                [self.ref("orders", "order", order.orderID)])
        ]
    }
}
