import AftercareAftersalesAPI
import AftercareCrashPoints
import AftercareFeedbackAPI
import AftercareGatewayAPI
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import AftercareServiceKit

extension GatewayService {
    func registerOrders(in router: inout RPCRouter) {
        router.unary(GatewayMethods.createOrder) { request, context in
            let caller = try self.access.caller(context, actors: [.buyer])
            var request = request
            request.buyerID = try caller.own(request.buyerID, "buyer_id")
            return try await self.peers.orders.unary(
                OrdersMethods.createOrder, request, options: try GatewayPeers.options(context, keyFor: OrdersMethods.createOrder))
        }
        router.unary(GatewayMethods.payOrder) { request, context in
            let caller = try self.access.caller(context, actors: [.buyer])
            let order = try await self.order(request.orderID, for: caller, context)
            var pay = Aftercare_Payments_V1_PayRequest()
            pay.orderID = order.orderID
            pay.buyerID = order.buyerID
            pay.sellerID = order.sellerID
            pay.amount = order.total
            pay.channel = request.channel
            let payment = try await self.peers.payments.unary(PaymentsMethods.pay, pay, options: try GatewayPeers.options(context, keyFor: PaymentsMethods.pay))
            var response = Aftercare_Gateway_V1_PayOrderResponse()
            response.payment = payment
            response.order = order
            guard payment.status == .paymentCaptured else { return response }
            // Were the gateway to stop here, PaymentRelay marks the order paid from payments' feed.
            CrashPoints.reach(.payCaptured, order.orderID)
            var paid = Aftercare_Orders_V1_MarkPaidRequest()
            paid.orderID = order.orderID
            paid.paymentID = payment.paymentID
            paid.amount = payment.amount
            response.order = try await self.peers.orders.unary(OrdersMethods.markPaid, paid, options: GatewayPeers.options(context)).order
            return response
        }
        router.unary(GatewayMethods.shipOrder) { request, context in
            let caller = try self.access.caller(context, actors: [.seller])
            let order = try await self.order(request.orderID, for: caller, context)
            guard order.status == .paid || order.status == .shipped else {
                throw RPCError.failedPrecondition("order \(order.orderID) is \(order.status.name), not paid: only a paid order ships")
            }
            if let shipped = try await self.outboundShipment(of: order, context) {
                // Ship once: the same parcel again answers it (and finishes a call that stopped
                // before the order was marked); another parcel is refused.
                guard shipped.carrier == request.carrier, shipped.trackingNumber == request.trackingNumber else {
                    throw RPCError(
                        .failedPrecondition,
                        "order_id: order \(order.orderID) already ships as \(shipped.shipmentID) (\(shipped.carrier) \(shipped.trackingNumber))",
                        outcome: .notExecuted)
                }
                var marked = Aftercare_Orders_V1_MarkShippedRequest()
                marked.orderID = order.orderID
                var response = Aftercare_Gateway_V1_ShipOrderResponse()
                response.shipment = shipped
                response.order = try await self.peers.orders.unary(OrdersMethods.markShipped, marked, options: GatewayPeers.options(context)).order
                return response
            }
            var ship = Aftercare_Logistics_V1_CreateShipmentRequest()
            ship.kind = .outbound
            ship.orderID = order.orderID
            ship.carrier = request.carrier
            ship.trackingNumber = request.trackingNumber
            ship.buyerID = order.buyerID
            ship.sellerID = order.sellerID
            ship.senderAddress = request.senderAddress
            ship.recipientAddress = request.recipientAddress
            var response = Aftercare_Gateway_V1_ShipOrderResponse()
            response.shipment = try await self.peers.logistics.unary(
                LogisticsMethods.createShipment, ship, options: try GatewayPeers.options(context, keyFor: LogisticsMethods.createShipment))
            var shipped = Aftercare_Orders_V1_MarkShippedRequest()
            shipped.orderID = order.orderID
            response.order = try await self.peers.orders.unary(OrdersMethods.markShipped, shipped, options: GatewayPeers.options(context)).order
            return response
        }
        router.unary(GatewayMethods.completeOrder) { request, context in
            let caller = try self.access.caller(context, actors: [.buyer, .platform, .operator])
            let order = try await self.order(request.orderID, for: caller, context)
            var complete = Aftercare_Orders_V1_CompleteOrderRequest()
            complete.orderID = order.orderID
            return try await self.peers.orders.unary(OrdersMethods.completeOrder, complete, options: GatewayPeers.options(context))
        }
        router.unary(GatewayMethods.cancelOrder) { request, context in
            let caller = try self.access.caller(context, actors: .anyone)
            if caller.actor?.kind == .seller {
                try RequestCheck.required(request.reason, "reason")
            } else {
                try RequestCheck.optional(request.reason, "reason")
            }
            let order = try await self.order(request.orderID, for: caller, context)
            var cancel = Aftercare_Orders_V1_CancelOrderRequest()
            cancel.orderID = order.orderID
            cancel.reason = request.reason
            // An unpaid order goes at once; a paid one starts its cancellation, which refunds it.
            let method = order.status == .created ? OrdersMethods.cancelOrder : OrdersMethods.requestCancellation
            return try await self.peers.orders.unary(method, cancel, options: GatewayPeers.options(context))
        }
        router.unary(GatewayMethods.getOrder) { request, context in
            let caller = try self.access.caller(context, actors: .anyone)
            return try await self.orderView(try await self.order(request.orderID, for: caller, context), context)
        }
        router.unary(GatewayMethods.listOrders) { request, context in
            let caller = try self.access.caller(context, actors: .anyone)
            var request = request
            switch caller.actor?.kind {
            case .buyer?:
                request.buyerID = try caller.own(request.buyerID, "buyer_id")
                guard request.sellerID.isEmpty else { throw GatewayCaller.denied("seller_id", "a buyer lists their own orders") }
            case .seller?:
                request.sellerID = try caller.own(request.sellerID, "seller_id")
                guard request.buyerID.isEmpty else { throw GatewayCaller.denied("buyer_id", "a seller lists their own orders") }
            default: break
            }
            return try await self.peers.orders.unary(OrdersMethods.listOrders, request, options: GatewayPeers.options(context))
        }
    }

    /// Order `id`, read from orders, if the caller's actor is its buyer or seller or sees everything.
    func order(_ id: String, for caller: GatewayCaller, _ context: ServerContext) async throws -> Aftercare_Orders_V1_Order {
        try RequestCheck.required(id, "order_id")
        var get = Aftercare_Orders_V1_GetOrderRequest()
        get.orderID = id
        let order = try await self.peers.orders.unary(OrdersMethods.getOrder, get, options: GatewayPeers.options(context)).order
        try caller.requireParty(buyerID: order.buyerID, sellerID: order.sellerID, field: "order_id", id: id)
        return order
    }

    /// The order's outbound shipment not cancelled, if the seller shipped it.
    func outboundShipment(of order: Aftercare_Orders_V1_Order, _ context: ServerContext) async throws -> Aftercare_Logistics_V1_Shipment? {
        var list = Aftercare_Logistics_V1_ListShipmentsRequest()
        list.orderID = order.orderID
        return try await self.peers.logistics.unary(LogisticsMethods.listShipments, list, options: GatewayPeers.options(context)).shipments
            .first { $0.kind == .outbound && $0.state != .cancelled }
    }

    /// The order with its payments, refunds, shipments, cases and its lines' reviews.
    func orderView(_ order: Aftercare_Orders_V1_Order, _ context: ServerContext) async throws -> Aftercare_Gateway_V1_OrderView {
        let options = GatewayPeers.options(context)
        var view = Aftercare_Gateway_V1_OrderView()
        view.order = order
        var payments = Aftercare_Payments_V1_ListPaymentsRequest()
        payments.orderID = order.orderID
        view.payments = try await self.peers.payments.unary(PaymentsMethods.listPayments, payments, options: options).payments
        if !order.paymentID.isEmpty {
            var refunds = Aftercare_Payments_V1_ListRefundsRequest()
            refunds.paymentID = order.paymentID
            view.refunds = try await self.peers.payments.unary(PaymentsMethods.listRefunds, refunds, options: options).refunds
        }
        var shipments = Aftercare_Logistics_V1_ListShipmentsRequest()
        shipments.orderID = order.orderID
        view.shipments = try await self.peers.logistics.unary(LogisticsMethods.listShipments, shipments, options: options).shipments
        var cases = Aftercare_Aftersales_V1_ListCasesRequest()
        cases.orderID = order.orderID
        cases.pageSize = 100
        view.cases = try await self.peers.aftersales.unary(AftersalesMethods.listCases, cases, options: options).cases
        for line in order.lines {
            var review = Aftercare_Feedback_V1_GetReviewRequest()
            review.orderID = order.orderID
            review.lineID = line.lineID
            do {
                view.reviews.append(try await self.peers.feedback.unary(FeedbackMethods.getReview, review, options: options))
            } catch let error as RPCError where error.code == .notFound {
                continue
            }
        }
        return view
    }
}
