import AftercareAftersalesAPI
import AftercareFeedbackAPI
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import AftercareWire

/// One order through the services, as the gateway will drive it: created, paid, shipped and
/// delivered by the carrier simulator, then partly refunded the way the Refund saga does it —
/// orders reserve the amount, payments refund it (the call sent twice, paid once), orders commit;
/// then the buyer returns the other tin (an aftersales case the seller approves) and reviews the
/// cup, which counts in the seller's scores.
struct OrderJourney: Sendable {
    let orders: RPCClient
    let payments: RPCClient
    let logistics: RPCClient
    let aftersales: RPCClient
    let feedback: RPCClient
    /// Told each step as it happens, in words.
    let say: @Sendable (String) -> Void

    /// What the journey made and what the services say at its end.
    struct Outcome: Sendable {
        var order: Aftercare_Orders_V1_Order
        var payment: Aftercare_Payments_V1_Payment
        var shipment: Aftercare_Logistics_V1_Shipment
        var refund: Aftercare_Payments_V1_Refund
        var refundTotals: Aftercare_Payments_V1_RefundTotals
        var sagaID: String
        /// The return case as opened (with its decision) and as the seller's approval left it.
        var returnOpened: Aftercare_Aftersales_V1_CaseResponse
        var returnApproved: Aftercare_Aftersales_V1_CaseResponse
        var review: Aftercare_Feedback_V1_Review
        var scores: Aftercare_Feedback_V1_SellerScores
    }

    /// Runs it. `tag` makes the keys and tracking number unique, so the journey can run again
    /// against the same databases.
    func run(tag: String) async throws -> Outcome {
        var create = Aftercare_Orders_V1_CreateOrderRequest()
        create.buyerID = "buyer_lin"
        create.sellerID = "seller_tea_house"
        create.currency = "CNY"
        create.shippingFee = Aftercare_Common_V1_Money(1_000, "CNY")
        create.promisedDeliveryUnixMicros = 1_800_000_000_000_000
        create.lines = [Self.line("tea-longjing-250g", "Longjing tea, 250 g", "food", 2, 16_800), Self.line("cup-celadon", "Celadon cup", "home", 1, 5_900)]
        var order = try await self.orders.unary(OrdersMethods.createOrder, create, options: .init(idempotencyKey: "journey-\(tag)/order")).order
        self.say("orders: created \(order.orderID) for \(order.buyerID): \(order.lines.count) lines, total \(order.total.formatted)")

        var pay = Aftercare_Payments_V1_PayRequest()
        pay.orderID = order.orderID
        pay.buyerID = order.buyerID
        pay.sellerID = order.sellerID
        pay.amount = order.total
        pay.channel = .alipay
        let payment = try await self.payments.unary(PaymentsMethods.pay, pay, options: .init(idempotencyKey: "journey-\(tag)/pay"))
        self.say("payments: \(payment.paymentID) through alipay is \(payment.status) (\(payment.amount.formatted))")

        var paid = Aftercare_Orders_V1_MarkPaidRequest()
        paid.orderID = order.orderID
        paid.paymentID = payment.paymentID
        paid.amount = payment.amount
        order = try await self.orders.unary(OrdersMethods.markPaid, paid).order
        self.say("orders: \(order.orderID) is \(order.status), refundable \(order.refundable.formatted)")

        var ship = Aftercare_Logistics_V1_CreateShipmentRequest()
        ship.kind = .outbound
        ship.orderID = order.orderID
        ship.carrier = "sf_express"
        ship.trackingNumber = "SF\(tag.filter(\.isNumber).suffix(12))"
        ship.buyerID = order.buyerID
        ship.sellerID = order.sellerID
        var shipment = try await self.logistics.unary(
            LogisticsMethods.createShipment, ship, options: .init(idempotencyKey: "journey-\(tag)/ship"))
        var shipped = Aftercare_Orders_V1_MarkShippedRequest()
        shipped.orderID = order.orderID
        order = try await self.orders.unary(OrdersMethods.markShipped, shipped).order
        self.say("logistics: \(shipment.shipmentID) with \(shipment.carrier) \(shipment.trackingNumber); orders: \(order.status)")

        while shipment.state != .delivered {
            var advance = Aftercare_Logistics_V1_AdvanceShipmentRequest()
            advance.shipmentID = shipment.shipmentID
            _ = try await self.logistics.unary(CarrierSimulatorMethods.advanceShipment, advance)
            var get = Aftercare_Logistics_V1_GetShipmentRequest()
            get.shipmentID = shipment.shipmentID
            shipment = try await self.logistics.unary(LogisticsMethods.getShipment, get)
            self.say("carrier: \(shipment.trackingNumber) is \(shipment.state)")
        }
        var delivered = Aftercare_Orders_V1_MarkDeliveredRequest()
        delivered.orderID = order.orderID
        order = try await self.orders.unary(OrdersMethods.markDelivered, delivered).order
        self.say("orders: \(order.orderID) is \(order.status)")

        // A partial refund of one tea tin, step by step as the Refund saga runs it.
        let sagaID = "sg_journey_\(tag)"
        let caseID = "case_journey_\(tag)"
        let amount = Aftercare_Common_V1_Money(16_800, "CNY")
        let teaLine = order.lines[0].lineID
        var reserve = Aftercare_Orders_V1_ReserveRefundRequest()
        reserve.caseID = caseID
        reserve.orderID = order.orderID
        reserve.amount = amount
        reserve.lines = [Self.reservation(teaLine, 1)]
        _ = try await self.orders.unary(OrdersMethods.reserveRefund, reserve, options: .init(saga: SagaContext(sagaID: sagaID, step: "reserve")))
        self.say("saga \(sagaID) step reserve: orders reserved \(amount.formatted) for \(caseID)")

        var refund = Aftercare_Payments_V1_RefundRequest()
        refund.paymentID = payment.paymentID
        refund.amount = amount
        refund.reason = "\(caseID): one tin arrived crushed"
        let first = try await self.payments.unary(PaymentsMethods.refund, refund, options: .init(saga: SagaContext(sagaID: sagaID, step: "refund")))
        let again = try await self.payments.unary(
            PaymentsMethods.refund, refund, options: .init(saga: SagaContext(sagaID: sagaID, step: "refund", attempt: 2)))
        self.say("saga \(sagaID) step refund: payments \(first.refundID) \(first.status); sent again, answered \(again.refundID) \(again.status)")

        var commit = Aftercare_Orders_V1_CommitRefundRequest()
        commit.caseID = caseID
        commit.refundedAmount = amount
        var line = Aftercare_Orders_V1_CommitRefundLine()
        line.lineID = teaLine
        line.refundedQuantity = 1
        line.refunded = amount
        commit.lines = [line]
        order = try await self.orders.unary(OrdersMethods.commitRefund, commit, options: .init(saga: SagaContext(sagaID: sagaID, step: "commit"))).order
        self.say("saga \(sagaID) step commit: orders refunded \(order.refunded.formatted), refundable \(order.refundable.formatted)")

        var list = Aftercare_Payments_V1_ListRefundsRequest()
        list.paymentID = payment.paymentID
        let totals = try await self.payments.unary(PaymentsMethods.listRefunds, list).totals
        self.say("payments: captured \(totals.captured.formatted), refunded \(totals.refunded.formatted), refundable \(totals.refundable.formatted)")
        let (returnOpened, returnApproved) = try await self.returnOne(order.lines[0], of: order, tag: tag)
        let (review, scores) = try await self.review(order.lines[1], of: order, deliveredBy: shipment)
        return Outcome(
            order: order, payment: payment, shipment: shipment, refund: again, refundTotals: totals, sagaID: sagaID,
            returnOpened: returnOpened, returnApproved: returnApproved, review: review, scores: scores)
    }

    /// The gateway tells feedback the line was delivered (by the outbound shipment's id, as the
    /// gateway's router does: whichever tells first, the review is the same); the buyer reviews it.
    private func review(
        _ line: Aftercare_Orders_V1_OrderLine, of order: Aftercare_Orders_V1_Order, deliveredBy shipment: Aftercare_Logistics_V1_Shipment
    ) async throws -> (Aftercare_Feedback_V1_Review, Aftercare_Feedback_V1_SellerScores) {
        var delivered = Aftercare_Feedback_V1_RecordDeliveryRequest()
        delivered.orderID = order.orderID
        delivered.lineID = line.lineID
        delivered.deliveryID = shipment.shipmentID
        delivered.productID = line.sku
        delivered.buyerID = order.buyerID
        delivered.sellerID = order.sellerID
        delivered.deliveredAtUnixMicros = order.deliveredAtUnixMicros
        delivered.promisedDeliveryUnixMicros = order.promisedDeliveryUnixMicros
        let eligible = try await self.feedback.unary(FeedbackMethods.recordDelivery, delivered)
        var submit = Aftercare_Feedback_V1_SubmitReviewRequest()
        submit.reviewID = eligible.reviewID
        submit.buyerID = order.buyerID
        submit.stars = 5
        submit.scores.itemAsDescribed = 5
        submit.scores.sellerService = 5
        submit.scores.deliverySpeed = 4
        submit.comment = "Lovely celadon glaze, well packed."
        let review = try await self.feedback.unary(
            FeedbackMethods.submitReview, submit, options: .init(idempotencyKey: "journey-\(shipment.shipmentID)/review"))
        self.say("feedback: \(review.reviewID) on \(line.sku): \(review.stars) stars, \(review.classification)")
        var ask = Aftercare_Feedback_V1_GetSellerScoresRequest()
        ask.sellerID = order.sellerID
        let scores = try await self.feedback.unary(FeedbackMethods.getSellerScores, ask)
        self.say("feedback: \(order.sellerID) has \(scores.reviewCount) reviews, positive rate \(scores.positiveRate180DBasisPoints / 100)% over 180 days")
        return (review, scores)
    }

    static func line(_ sku: String, _ title: String, _ category: String, _ quantity: Int64, _ price: Int64) -> Aftercare_Orders_V1_NewOrderLine {
        var line = Aftercare_Orders_V1_NewOrderLine()
        line.sku = sku
        line.title = title
        line.category = category
        line.quantity = quantity
        line.unitPrice = Aftercare_Common_V1_Money(price, "CNY")
        return line
    }

    static func reservation(_ lineID: String, _ quantity: Int64) -> Aftercare_Orders_V1_ReservationLine {
        var line = Aftercare_Orders_V1_ReservationLine()
        line.lineID = lineID
        line.quantity = quantity
        return line
    }
}
