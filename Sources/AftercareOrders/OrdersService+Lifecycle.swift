import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit
import AftercareWire
import Logging
import SwiftProtobuf

extension OrdersService {
    func registerLifecycle(in router: inout RPCRouter) {
        router.unary(OrdersMethods.createOrder) { request, context in try await self.createOrder(request, context) }
        router.unary(OrdersMethods.markPaid) { request, context in
            try RequestCheck.required(request.paymentID, "payment_id")
            try RequestCheck.money(request.amount, "amount")
            let samePayment: @Sendable (Aftercare_Orders_V1_Order, any SQLConnection) throws -> Void = { order, _ in
                guard order.paymentID == request.paymentID else {
                    throw RPCError.failedPrecondition(
                        "order \(order.orderID) is \(order.status.name), paid by payment \(order.paymentID); "
                            + "payment \(request.paymentID) cannot pay it again")
                }
                guard order.paid == request.amount else {
                    throw RPCError.failedPrecondition(
                        "order \(order.orderID) was paid \(order.paid.formatted) by payment \(order.paymentID), not \(request.amount.formatted)")
                }
            }
            return try await self.transition(.pay, orderID: request.orderID, request: request, context, alreadyDone: samePayment) {
                order, now, _ in
                try RequestCheck.sameCurrency(request.amount.currency, order.total.currency, "amount.currency")
                guard request.amount.amountMinor == order.total.amountMinor else {
                    throw RPCError.invalidField(
                        "amount", "\(request.amount.formatted) differs from the total of order \(order.orderID), \(order.total.formatted)")
                }
                order.paymentID = request.paymentID
                order.paid = request.amount
                order.paidAtUnixMicros = now
            }
        }
        router.unary(OrdersMethods.markShipped) { request, context in
            try await self.transition(.ship, orderID: request.orderID, request: request, context) { order, now, _ in
                order.shippedAtUnixMicros = now
            }
        }
        router.unary(OrdersMethods.markDelivered) { request, context in
            try await self.transition(.deliver, orderID: request.orderID, request: request, context) { order, now, _ in
                order.deliveredAtUnixMicros = now
                order.autoCompleteAtUnixMicros = now + self.autoCompleteAfterMicros
            }
        }
        router.unary(OrdersMethods.completeOrder) { request, context in
            try await self.transition(.complete, orderID: request.orderID, request: request, context) { order, now, _ in
                order.completedAtUnixMicros = now
            }
        }
        router.unary(OrdersMethods.cancelOrder) { request, context in
            try RequestCheck.optional(request.reason, "reason")
            return try await self.transition(.cancel, orderID: request.orderID, request: request, context) { order, now, _ in
                order.cancelledAtUnixMicros = now
                order.cancelReason = request.reason
            }
        }
        self.registerCancellation(in: &router)
    }

    func createOrder(
        _ request: Aftercare_Orders_V1_CreateOrderRequest, _ context: ServerContext
    ) async throws -> Aftercare_Orders_V1_OrderResponse {
        let draft = try OrderDraft(request)
        let response = try await self.ledger.once(context, request: request, withoutKey: .refuse) { db in
            try Self.refuseCompensation(context)
            let now = self.clock.nowMicros
            let new = draft.order(id: RecordID.make("ord", atMicros: now), now: now)
            try self.store.insert(new, in: db)
            let order = try self.store.requireOrder(new.orderID, in: db)
            try self.events.order(order, context: context, in: db)
            return Aftercare_Orders_V1_OrderResponse(order)
        }
        context.logger.info("order created", metadata: ["order.id": "\(response.order.orderID)"])
        return response
    }

    /// Runs one lifecycle transition: repeating one that already happened answers the order (after
    /// `alreadyDone` had its say), an illegal one is FAILED_PRECONDITION naming the state, a legal
    /// one is applied (`apply` sees the order in the target state, and may move it further), stored
    /// and announced as `orders.order.<state it ends in>`.
    func transition<Request: SwiftProtobuf.Message>(
        _ transition: OrderTransition,
        orderID: String,
        request: Request,
        _ context: ServerContext,
        alreadyDone: @escaping @Sendable (Aftercare_Orders_V1_Order, any SQLConnection) throws -> Void = { _, _ in },
        apply: @escaping @Sendable (inout Aftercare_Orders_V1_Order, Int64, any SQLConnection) throws -> Void
    ) async throws -> Aftercare_Orders_V1_OrderResponse {
        try RequestCheck.required(orderID, "order_id")
        let response = try await self.ledger.once(context, request: request, withoutKey: .naturalKey) { db in
            try Self.refuseCompensation(context)
            try self.store.lockOrder(orderID, in: db)
            var order = try self.store.requireOrder(orderID, in: db)
            switch transition.decide(from: order.status, orderID: orderID) {
            case .alreadyDone:
                try alreadyDone(order, db)
                return Aftercare_Orders_V1_OrderResponse(order)
            case .refuse(let message):
                throw RPCError.failedPrecondition(message)
            case .apply:
                let now = self.clock.nowMicros
                order.status = transition.target
                try apply(&order, now, db)
                order.updatedAtUnixMicros = now
                try self.store.update(order, in: db)
                let stored = try self.store.requireOrder(orderID, in: db)
                try self.events.order(stored, context: context, in: db)
                return Aftercare_Orders_V1_OrderResponse(stored)
            }
        }
        context.logger.info("order \(response.order.status.name)", metadata: ["order.id": "\(orderID)", "transition": "\(transition.rawValue)"])
        return response
    }
}
