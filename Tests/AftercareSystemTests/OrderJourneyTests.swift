@testable import AftercareExampleOrder
import AftercareAftersalesAPI
import AftercareFeedbackAPI
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import AftercareTesting
import AftercareWire
import Testing

/// The real executables (orders, payments, logistics, aftersales, feedback) over Unix sockets with
/// mutual TLS, in one run directory: the journey `make run` shows, checked; then all killed with
/// SIGKILL and restarted, their data and feeds intact.
@Suite("Orders, payments, logistics, aftersales and feedback together")
struct OrderJourneyTests {
    @Test("an order created, paid, shipped, delivered, partly refunded, partly returned and reviewed; everything intact after kill -9")
    func journey() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var services = try await Self.start(in: directory)
        let outcome = try await Self.withClients(services) { orders, payments, logistics, aftersales, feedback in
            try await OrderJourney(orders: orders, payments: payments, logistics: logistics, aftersales: aftersales, feedback: feedback) { _ in }
                .run(tag: "20261122000001")
        }
        #expect(outcome.order.status == .delivered)
        #expect(outcome.order.paid == outcome.order.total)
        #expect(outcome.order.refunded == Aftercare_Common_V1_Money(16_800, "CNY"))
        #expect(outcome.order.refundable.amountMinor == outcome.order.total.amountMinor - 16_800)
        #expect(outcome.order.reserved.amountMinor == 0)
        #expect(outcome.payment.status == .paymentCaptured)
        #expect(outcome.shipment.state == .delivered)
        #expect(outcome.refund.status == .refundSucceeded)
        #expect(outcome.refundTotals.refunded.amountMinor == 16_800)
        #expect(outcome.refundTotals.pending.amountMinor == 0)
        // The return: the facts gathered from orders, the policy sends it to the seller, who approves.
        let opened = outcome.returnOpened.record
        #expect(opened.state == "PENDING_SELLER" && opened.orderID == outcome.order.orderID)
        #expect(opened.lines.map(\.lineID) == [outcome.order.lines[0].lineID] && opened.requested == Aftercare_Common_V1_Money(16_800, "CNY"))
        #expect(opened.decision.outcome == "seller_review" && opened.decision.decidingRule == "default")
        #expect(opened.decision.sentence == "The seller will review your request for 168.00 CNY and has 48 hours to answer.")
        let approved = outcome.returnApproved
        #expect(approved.record.state == "APPROVED")
        #expect(approved.history.map { "\($0.event): \($0.toState)" } == [
            "opened: REQUESTED", "evaluate: PENDING_SELLER", "seller.approve: APPROVED",
        ])
        #expect(outcome.review.state == .published)
        #expect(outcome.review.classification == .positive)
        #expect(outcome.scores.reviewCount == 1)
        #expect(outcome.scores.positiveRate180DBasisPoints == 10_000)

        let feedsBefore = try await Self.withClients(services) { orders, payments, logistics, aftersales, _ in
            (try await Self.types(orders), try await Self.types(payments), try await Self.types(logistics), try await Self.types(aftersales))
        }
        #expect(feedsBefore.0 == [
            "orders.order.created", "orders.order.paid", "orders.order.shipped", "orders.order.delivered",
            "orders.reservation.reserved", "orders.reservation.committed",
        ])
        #expect(feedsBefore.1 == [
            "payments.payment.pending", "payments.payment.captured", "payments.refund.pending", "payments.refund.succeeded",
        ])
        #expect(feedsBefore.2 == [
            "logistics.shipment.created", "logistics.shipment.picked_up", "logistics.shipment.in_transit", "logistics.shipment.delivered",
        ])
        #expect(feedsBefore.3 == [
            "aftersales.case.opened", "aftersales.case.changed", "aftersales.case.changed", "aftersales.case.changed",
            "aftersales.case.saga_requested",
        ])

        // kill -9 them all, mid-nothing, and start them again on the same files.
        for service in services { service.kill() }
        services = try await Self.start(in: directory)
        try await Self.withClients(services) { orders, payments, logistics, aftersales, feedback in
            var get = Aftercare_Orders_V1_GetOrderRequest()
            get.orderID = outcome.order.orderID
            #expect(try await orders.unary(OrdersMethods.getOrder, get).order == outcome.order)
            var list = Aftercare_Payments_V1_ListRefundsRequest()
            list.paymentID = outcome.payment.paymentID
            let refunds = try await payments.unary(PaymentsMethods.listRefunds, list)
            #expect(refunds.refunds.map(\.refundID) == [outcome.refund.refundID])
            #expect(refunds.totals == outcome.refundTotals)
            var track = Aftercare_Logistics_V1_GetShipmentRequest()
            track.shipmentID = outcome.shipment.shipmentID
            #expect(try await logistics.unary(LogisticsMethods.getShipment, track).state == .delivered)
            var returnCase = Aftercare_Aftersales_V1_GetCaseRequest()
            returnCase.caseID = approved.record.caseID
            // As approved (GetCase also explains the decision, which the approval's answer leaves out).
            let reread = try await aftersales.unary(AftersalesMethods.getCase, returnCase)
            #expect(reread.record == approved.record && reread.history == approved.history && reread.decision.caseID == approved.record.caseID)
            #expect(try await Self.types(aftersales) == feedsBefore.3)
            var scores = Aftercare_Feedback_V1_GetSellerScoresRequest()
            scores.sellerID = outcome.order.sellerID
            let after = try await feedback.unary(FeedbackMethods.getSellerScores, scores)
            #expect(after.reviewCount == 1)
            #expect(after.positiveCount == 1)

            // The saga's steps are still known, so a resumed saga gets the stored answers.
            var query = Aftercare_Common_V1_QueryStepRequest()
            query.sagaID = outcome.sagaID
            query.step = "reserve"
            #expect(try await orders.unary(StepMethods.queryStep, query).forward.outcome == .done)
            query.step = "refund"
            #expect(try await payments.unary(StepMethods.queryStep, query).forward.outcome == .done)

            // The feeds are whole and continue from a cursor without gaps.
            #expect(try await Self.types(orders) == feedsBefore.0)
            var mark = Aftercare_Orders_V1_CompleteOrderRequest()
            mark.orderID = outcome.order.orderID
            _ = try await orders.unary(OrdersMethods.completeOrder, mark)
            var read = Aftercare_Common_V1_ReadEventsRequest()
            read.afterSeq = Int64(feedsBefore.0.count)
            let next = try await orders.unary(FeedMethods.readEvents, read)
            #expect(next.events.map(\.seq) == [Int64(feedsBefore.0.count) + 1])
            #expect(next.events.map(\.type) == ["orders.order.completed"])
        }
        for service in services { #expect(try await service.stop() == 0) }
    }

    static func start(in directory: TemporaryDirectory) async throws -> [ServiceProcess] {
        [
            try await ServiceProcess.start("orders", in: directory),
            try await ServiceProcess.start("payments", in: directory),
            try await ServiceProcess.start("logistics", in: directory),
            try await ServiceProcess.start("aftersales", in: directory),
            try await ServiceProcess.start("feedback", in: directory),
        ]
    }

    static func withClients<Result: Sendable>(
        _ services: [ServiceProcess], _ body: @Sendable (RPCClient, RPCClient, RPCClient, RPCClient, RPCClient) async throws -> Result
    ) async throws -> Result {
        try await services[0].withClient { orders in
            try await services[1].withClient { payments in
                try await services[2].withClient { logistics in
                    try await services[3].withClient { aftersales in
                        try await services[4].withClient { feedback in try await body(orders, payments, logistics, aftersales, feedback) }
                    }
                }
            }
        }
    }

    /// The types of every event on a service's feed, in order.
    static func types(_ client: RPCClient) async throws -> [String] {
        try await client.unary(FeedMethods.readEvents, .init()).events.map(\.type)
    }
}
