import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import AftercareTesting
import SwiftProtobuf
import Testing

extension GatewayExecutableTests {
    /// Refund-only cases through the public API over the six executables: the gateway gathers the
    /// facts, aftersales decides, the gateway's own router starts the Refund saga, and the operator API
    /// shows it.
    @Suite("Public API: refunds")
    struct PublicRefundTests {
        @Test("refund-only on an unshipped order: approved at once, refunded by the gateway's saga; a retried application opens nothing new; operators see the saga, its trace and a clean reconciliation")
        func refundOnlyPaid() async throws {
            try await GatewayWorld.run { world in
                let order = try await world.paidOrder([("sku_pr1", 2, 10_000)], shippingFee: 1_000)
                let apply = Aftercare_Gateway_V1_ApplyRequest.with {
                    $0.kind = .refundOnly
                    $0.orderID = order.orderID
                    $0.reason = .other
                    $0.description_p = "changed my mind before it shipped"
                    $0.lines = [.with { $0.lineID = order.lines[0].lineID; $0.quantity = 2 }]
                }
                let opened = try await world.buyer().call(GatewayMethods.apply, apply, key: "apply-pr1")
                #expect(opened.record.buyerID == GatewayWorld.buyer)
                #expect(opened.record.requested == GatewayWorld.cny(20_000))
                #expect(opened.decision.outcome == "approve")
                #expect(opened.decision.factsJson.contains("\"paid\""))
                let caseID = opened.record.caseID

                // The same application again under the same key: the same case.
                let again = try await world.buyer().call(GatewayMethods.apply, apply, key: "apply-pr1")
                #expect(again.record.caseID == caseID)
                // Under the same key with something else: refused, naming the key.
                var other = apply
                other.description_p = "something else"
                try await expectStatus(.invalidArgument, containing: "idempotency_key") { _ = try await world.buyer().call(GatewayMethods.apply, other, key: "apply-pr1") }

                let refunded = try await world.caseView(caseID, while: ["APPROVED", "REFUNDING"])
                #expect(refunded.record.state == "REFUNDED")
                #expect(refunded.sagas.map(\.definition) == ["Refund"])
                #expect(refunded.sagas.map(\.state) == ["completed"])
                #expect(refunded.sagas.first?.completed == ["reserve_refund", "record_refunding", "refund", "commit_refund", "record_refunded"])

                let view = try await world.buyer().call(GatewayMethods.getOrder, .with { $0.orderID = order.orderID }, key: nil)
                #expect(view.order.refunded == GatewayWorld.cny(20_000))
                #expect(view.order.refundable == GatewayWorld.cny(1_000))
                #expect(view.refunds.map(\.status) == [.refundSucceeded])
                #expect(view.refunds.first?.refundID == refunded.record.refundID)
                #expect(view.cases.map(\.caseID) == [caseID])

                // Operators: the saga with every attempt, its spans across services, health, reconciliation.
                let sagaID = try #require(refunded.sagas.first?.sagaID)
                let listed = try await world.cli.call(OperationsMethods.listSagas, .with { $0.caseID = caseID }, key: nil)
                #expect(listed.sagas.map(\.sagaID) == [sagaID])
                let saga = try await world.cli.call(OperationsMethods.getSaga, .with { $0.sagaID = sagaID }, key: nil)
                #expect(saga.attempts.map { "\($0.step)/\($0.direction)=\($0.result)" } == [
                    "reserve_refund/forward=ok", "record_refunding/forward=ok", "refund/forward=ok", "commit_refund/forward=ok", "record_refunded/forward=ok",
                ])
                #expect(saga.steps.map(\.role) == ["compensable", "compensable", "pivot", "forward", "forward", "on_compensated"])
                #expect(saga.events.first?.kind == "started")
                let trace = try await world.cli.call(OperationsMethods.getTrace, .with { $0.traceID = saga.saga.traceID }, key: nil)
                let spans = Dictionary(uniqueKeysWithValues: trace.services.map { ($0.service, $0) })
                #expect(trace.services.allSatisfy { $0.error.isEmpty })
                for service in ["orders", "payments", "aftersales"] {
                    #expect(spans[service]?.spans.contains { $0.saga.sagaID == sagaID } == true, "\(service)")
                }
                #expect(spans["payments"]?.spans.contains { $0.method.hasSuffix("/Refund") && $0.saga.step == "refund" } == true)
                // Apply asked aftersales once: OpenCase's answer carried the decision explained.
                let asked = spans["aftersales"]?.spans.map(\.method).filter { !$0.contains("Record") } ?? []
                #expect(asked.map { $0.split(separator: "/").last ?? "" } == ["OpenCase"])
                let health = try await world.cli.call(OperationsMethods.systemHealth, .init(), key: nil)
                #expect(health.services.map(\.service) == ["gateway", "aftersales", "feedback", "logistics", "orders", "payments"])
                #expect(health.services.allSatisfy { $0.up && $0.health.checks.contains { $0.name == "database" && $0.ok } })
                let report = try await world.cli.call(OperationsMethods.reconcile, .init(), key: nil)
                #expect(report.disagreements.isEmpty, "\(report.disagreements.map(\.description_p))")
                #expect(report.casesChecked >= 1)

                // Notifications: the buyer's and the seller's inboxes have the case's changes, once each.
                let inbox = try await world.buyer().call(GatewayMethods.listNotifications, .with { $0.limit = 1_000 }, key: nil)
                let caseItems = inbox.items.filter { $0.subjects.caseID == caseID }
                #expect(caseItems.contains { $0.type == "aftersales.case.opened" })
                #expect(caseItems.filter { $0.type == "aftersales.case.changed" }.count >= 3)
                #expect(Set(inbox.items.map(\.eventID)).count == inbox.items.count)
                #expect(inbox.items.map(\.position) == Array(1...Int64(inbox.items.count)))
                let sellerInbox = try await world.seller().call(GatewayMethods.listNotifications, .init(), key: nil)
                #expect(sellerInbox.items.contains { $0.subjects.caseID == caseID && $0.type == "aftersales.case.closed" })
                let marked = try await world.buyer().call(GatewayMethods.markNotificationsRead, .with { $0.positions = [1, 2] })
                #expect(marked.marked == 2)
                #expect(try await world.buyer().call(GatewayMethods.listNotifications, .init(), key: nil).unread == inbox.unread - 2)
            }
        }

        @Test("a provider's decline: the saga compensates (reservation released, REFUND_FAILED); the operator's retry is a new saga that pays")
        func declinedThenRetried() async throws {
            try await GatewayWorld.run(arguments: ["payments": ["--payments-simulator-decline-amounts-ending-in", "99"]]) { world in
                let order = try await world.paidOrder([("sku_pd1", 1, 19_999)], shippingFee: 1)
                let opened = try await world.buyer().call(
                    GatewayMethods.apply,
                    .with {
                        $0.kind = .refundOnly
                        $0.orderID = order.orderID
                        $0.reason = .other
                        $0.lines = [.with { $0.lineID = order.lines[0].lineID; $0.quantity = 1 }]
                    })
                let caseID = opened.record.caseID
                let failed = try await world.caseView(caseID, while: ["APPROVED", "REFUNDING"])
                #expect(failed.record.state == "REFUND_FAILED")
                #expect(failed.record.failureReason.contains("declined"))
                #expect(failed.sagas.map(\.state) == ["compensated"])
                let reservation = try await world.direct["orders"]!.unary(OrdersMethods.getReservation, .with { $0.caseID = caseID }).reservation
                #expect(reservation.status == .released)

                // The provider accepts again; the operator retries from the CLI.
                try await world.restart("payments")
                let retried = try await world.cli.call(OperationsMethods.retryRefund, .with { $0.caseID = caseID; $0.reason = "provider back" })
                #expect(retried.record.state == "APPROVED")
                let paid = try await world.caseView(caseID, while: ["APPROVED", "REFUNDING"])
                #expect(paid.record.state == "REFUNDED")
                #expect(paid.sagas.map(\.state) == ["compensated", "completed"])
                #expect(paid.history.contains { $0.event == "operator.retry" && $0.actorID == "oncall" })
                let view = try await world.cli.call(GatewayMethods.getOrder, .with { $0.orderID = order.orderID }, key: nil)
                #expect(view.refunds.map(\.status) == [.refundFailed, .refundSucceeded])
                #expect(view.order.refunded == GatewayWorld.cny(19_999))
                let report = try await world.cli.call(OperationsMethods.reconcile, .init(), key: nil)
                #expect(report.disagreements.isEmpty, "\(report.disagreements.map(\.description_p))")
            }
        }
    }
}
