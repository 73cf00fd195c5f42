import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit
import Logging

extension OrdersService {
    /// A paid order's cancellation: requested (PAID → CANCELLING, which starts the gateway's Order
    /// cancellation saga), then finished once its payment is refunded (CANCELLED) or abandoned when
    /// the refund is refused (PAID again).
    func registerCancellation(in router: inout RPCRouter) {
        router.unary(OrdersMethods.requestCancellation) { request, context in
            try RequestCheck.optional(request.reason, "reason")
            return try await self.transition(.requestCancellation, orderID: request.orderID, request: request, context) { order, now, db in
                if let caseID = try self.store.openReservationCase(order.orderID, in: db) {
                    throw RPCError.failedPrecondition(
                        "order \(order.orderID) has an open reservation for case \(caseID); release it before cancelling")
                }
                order.cancelReason = request.reason
                // Refunded in full already (after-sales cases): nothing to give back, no saga.
                if order.refundBook.refundableMinor == 0 {
                    order.status = .cancelled
                    order.cancelledAtUnixMicros = now
                }
            }
        }
        router.unary(OrdersMethods.finishCancellation) { request, context in
            try RequestCheck.required(request.refundID, "refund_id")
            try RequestCheck.money(request.refunded, "refunded")
            return try await self.transition(.finishCancellation, orderID: request.orderID, request: request, context) { order, now, _ in
                try RequestCheck.sameCurrency(request.refunded.currency, order.total.currency, "refunded.currency")
                let refundable = order.refundBook.refundableMinor
                guard request.refunded.amountMinor == refundable else {
                    throw RPCError.invalidField(
                        "refunded", "a cancellation refunds what is left of the payment, \(Aftercare_Common_V1_Money(refundable, order.total.currency).formatted); got \(request.refunded.formatted)")
                }
                order.refunded = Aftercare_Common_V1_Money(try MoneyMath.add(order.refunded.amountMinor, refundable, field: "refunded"), order.total.currency)
                order.cancelledAtUnixMicros = now
            }
        }
        router.unary(OrdersMethods.abandonCancellation) { request, context in
            try RequestCheck.optional(request.reason, "reason")
            let response = try await self.transition(.abandonCancellation, orderID: request.orderID, request: request, context) { order, _, _ in
                order.cancelReason = ""
            }
            context.logger.warning("order cancellation abandoned", metadata: ["order.id": "\(request.orderID)", "reason": "\(request.reason)"])
            return response
        }
    }
}
