import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import AftercareTesting
import SwiftProtobuf
import Testing

extension GatewayExecutableTests {
    /// The Refund saga through the gateway's own fault-injecting clients, over the six executables:
    /// every call it makes delivered twice, and the refund's reply lost after payments paid. Nothing
    /// happens twice: one refund at the provider, one booking in orders, the case refunded once.
    @Suite("Saga calls through faults")
    struct SagaFaultTests {
        static let refundCalls = ["orders/ReserveRefund", "aftersales/RecordRefunding", "payments/Refund", "orders/CommitRefund", "aftersales/RecordRefunded"]
        /// The Refund saga's steps, each making the call of ``refundCalls`` at its index.
        static let refundSteps = ["reserve_refund", "record_refunding", "refund", "commit_refund", "record_refunded"]

        @Test("every call of the Refund saga delivered twice: paid once, booked once")
        func everyCallDuplicated() async throws {
            try await GatewayWorld.run { world in
                let order = try await world.paidOrder([("sku_dup", 1, 4_200)])
                try await StepRefusalTests.faults(world, Self.refundCalls.map { "duplicate \($0)" }.joined(separator: "\n"))
                let caseID = try await world.apply(.refundOnly, order, reason: .other).record.caseID
                let refunded = try await world.caseView(caseID, while: ["APPROVED", "REFUNDING"])
                try await StepRefusalTests.faults(world, "")
                #expect(refunded.record.state == "REFUNDED")
                #expect(refunded.history.filter { $0.event == "saga Refund: refunded" }.count == 1)
                // Each service served each of the saga's calls twice (its spans say so), and did it
                // once. A copy that arrives while the other is still asking the provider is told to
                // retry (UNAVAILABLE, "in progress"); when that is the answer the saga got, its next
                // attempt is delivered twice again.
                let sagaID = try #require(refunded.sagas.first?.sagaID)
                let attempts = try await world.cli.call(OperationsMethods.getSaga, .with { $0.sagaID = sagaID }, key: nil).attempts
                    .filter { $0.direction == "forward" && $0.kind == "call" }
                let trace = try await world.cli.call(OperationsMethods.getTrace, .with { $0.traceID = refunded.sagas.first?.traceID ?? "" }, key: nil)
                let served = trace.services.flatMap(\.spans).filter { !$0.saga.sagaID.isEmpty && $0.saga.direction == .forward }
                for (call, step) in zip(Self.refundCalls, Self.refundSteps) {
                    let tries = attempts.filter { $0.step == step }
                    #expect(tries.last?.result == "ok", "\(call): \(tries.map(\.result))")
                    #expect(tries.dropLast().allSatisfy { $0.message.contains("in progress") }, "\(call): \(tries.map(\.message))")
                    let method = String(call.split(separator: "/").last ?? "")
                    #expect(served.filter { $0.method.hasSuffix("/\(method)") }.count == 2 * tries.count, "\(call)")
                }
                try await Self.paidOnce(order, amount: 4_200, world)
            }
        }

        @Test("the refund's reply lost after payments paid: the outcome is unknown, QueryStep settles it, nothing is paid twice")
        func replyLost() async throws {
            try await GatewayWorld.run { world in
                let order = try await world.paidOrder([("sku_lost_reply", 1, 3_300)])
                try await StepRefusalTests.faults(world, "drop-reply payments/Refund #1")
                let caseID = try await world.apply(.refundOnly, order, reason: .other).record.caseID
                let refunded = try await world.caseView(caseID, while: ["APPROVED", "REFUNDING"])
                try await StepRefusalTests.faults(world, "")
                #expect(refunded.record.state == "REFUNDED")
                let sagaID = try #require(refunded.sagas.first?.sagaID)
                let attempts = try await world.cli.call(OperationsMethods.getSaga, .with { $0.sagaID = sagaID }, key: nil).attempts
                let refund = attempts.filter { $0.step == "refund" }.map { "\($0.kind)=\($0.result)" }
                #expect(refund.first == "call=unknown")
                #expect(refund.contains("query=queried_done"), "\(refund)")
                try await Self.paidOnce(order, amount: 3_300, world)
            }
        }

        @Test("a forward call delivered after its compensation: orders refuse it, nothing stays reserved, the case records the failed refund")
        func forwardAfterCompensation() async throws {
            // Calls wait 300 ms, and a step that may give up tries once: the held reservation ends
            // unknown, so the saga gives up and compensates it — orders have not seen it: nothing to
            // undo, remembered — and that compensation releases the held request to arrive after it.
            let fast = ["--gateway-sagas-call-timeout-ms", "300", "--gateway-sagas-attempts", "1", "--gateway-sagas-initial-backoff-ms", "20"]
            try await GatewayWorld.run(arguments: ["gateway": fast]) { world in
                let order = try await world.paidOrder([("sku_late", 1, 4_000)])
                try await StepRefusalTests.faults(world, "hold-request orders/ReserveRefund #1 until orders/ReserveRefund #2")
                let caseID = try await world.apply(.refundOnly, order, reason: .other).record.caseID
                let failed = try await world.caseView(caseID, while: ["APPROVED", "REFUNDING"])
                try await StepRefusalTests.faults(world, "")
                #expect(failed.record.state == "REFUND_FAILED")
                let sagaID = try #require(failed.sagas.first?.sagaID)
                #expect(failed.sagas.first?.state == "compensated")
                let attempts = try await world.cli.call(OperationsMethods.getSaga, .with { $0.sagaID = sagaID }, key: nil).attempts
                #expect(attempts.map { "\($0.step)/\($0.direction)/\($0.kind)=\($0.result)" } == [
                    "reserve_refund/forward/call=unknown", "reserve_refund/compensate/call=ok", "record_refund_failed/forward/call=ok",
                ])
                // The late forward arrived after its compensation: orders' step ledger refused it.
                let orders = world.direct["orders"]!
                var step = try await orders.unary(StepMethods.queryStep, .with { $0.sagaID = sagaID; $0.step = "reserve_refund" })
                for _ in 0..<100 where step.forward.outcome != .refused {
                    try await Task.sleep(for: .milliseconds(20))
                    step = try await orders.unary(StepMethods.queryStep, .with { $0.sagaID = sagaID; $0.step = "reserve_refund" })
                }
                #expect(step.compensate.outcome == .nothingToUndo)
                #expect(step.forward.outcome == .refused)
                await #expect(throws: RPCError.self) { try await orders.unary(OrdersMethods.getReservation, .with { $0.caseID = caseID }) }
                let view = try await world.cli.call(GatewayMethods.getOrder, .with { $0.orderID = order.orderID }, key: nil)
                #expect(view.order.reserved == GatewayWorld.cny(0))
                #expect(view.refunds.isEmpty)
                try await StepRefusalTests.reconciled(world)
            }
        }

        /// Every method a saga calls, on every participant.
        static let everySagaCall = [
            "orders/ReserveRefund", "orders/ReserveReplacement", "orders/ReleaseReservation", "orders/CommitRefund", "orders/CommitExchange",
            "payments/Refund", "payments/RecordManualPayout", "logistics/CreateShipment", "logistics/CancelShipment",
        ] + [
            "RecordRefunding", "RecordRefunded", "RecordRefundFailed", "RecordAwaitingReturn", "RecordNothingRefundable", "RecordReplacementOutOfStock",
            "RecordReturnCancelled", "RecordAlreadyPickedUp", "RecordCarrierEvent", "RecordReturnToBuyerShipment", "RecordReplacementShipped",
            "RecordExchangeOutOfStock",
        ].map { "aftersales/\($0)" }

        @Test("every call of every saga delivered twice: a partly refunded return, a withdrawn return and an exchange each end as they would, with nothing done twice")
        func everySagaDuplicated() async throws {
            try await GatewayWorld.run { world in
                try await world.setStock("sku_dx_L", 2, variantOf: "sku_dx", price: 5_000)
                let returned = try await world.deliveredOrder([("sku_dr", 2, 5_000)], tracking: "SFDUPL000001")
                let withdrawn = try await world.deliveredOrder([("sku_dw", 1, 5_000)], tracking: "SFDUPL000002")
                let exchanged = try await world.deliveredOrder([("sku_dx", 1, 5_000)], tracking: "SFDUPL000003")
                try await StepRefusalTests.faults(world, Self.everySagaCall.map { "duplicate \($0)" }.joined(separator: "\n"))

                // Both units back, one damaged: half refunded.
                let returnCase = try await world.buyer().call(
                    GatewayMethods.apply,
                    .with {
                        $0.kind = .returnAndRefund
                        $0.orderID = returned.orderID
                        $0.reason = .noReason7D
                        $0.lines = [.with { $0.lineID = returned.lines[0].lineID; $0.quantity = 2 }]
                    }
                ).record.caseID
                let awaiting = try await world.caseView(returnCase, while: ["APPROVED"])
                try await world.deliver(awaiting.record.returnShipment.shipmentID)
                _ = try await world.caseView(returnCase, while: ["AWAITING_RETURN_SHIPMENT", "RETURN_IN_TRANSIT"])
                _ = try await world.act(GatewayMethods.confirmReceipt, returnCase, by: world.seller())
                let inspecting = try await world.caseView(returnCase).record
                _ = try await world.seller().call(
                    GatewayMethods.inspect,
                    .with {
                        $0.action = .with { $0.caseID = returnCase; $0.version = inspecting.version }
                        $0.lines = [.with { $0.lineID = returned.lines[0].lineID; $0.receivedOk = 1; $0.damaged = 1 }]
                    })
                let refunded = try await world.caseView(returnCase, while: ["REFUND_APPROVED", "REFUNDING"])
                #expect(refunded.record.state == "REFUNDED")
                try await Self.paidOnce(returned, amount: 5_000, world)

                // Withdrawn before the parcel left: label cancelled once, reservation released.
                let withdrawCase = try await world.apply(.returnAndRefund, withdrawn).record.caseID
                _ = try await world.caseView(withdrawCase, while: ["APPROVED"])
                _ = try await world.act(GatewayMethods.withdraw, withdrawCase, by: world.buyer())
                let closed = try await world.caseView(withdrawCase, while: ["RETURN_CANCELLING"])
                #expect(closed.record.state == "CLOSED_WITHDRAWN")
                #expect(closed.history.filter { $0.event.hasPrefix("saga Return cancellation") }.count == 1)

                // An exchange: one replacement reserved and shipped.
                let exchangeCase = try await PublicExchangeTests.exchangeAwaitingReplacement(exchanged, replacementSKU: "sku_dx_L", world)
                let shipped = try await world.caseView(exchangeCase, while: ["RETURN_ACCEPTED"])
                #expect(shipped.record.state == "REPLACEMENT_SHIPPED")
                let exchangeView = try await world.cli.call(GatewayMethods.getOrder, .with { $0.orderID = exchanged.orderID }, key: nil)
                #expect(exchangeView.shipments.filter { $0.kind == .replacement }.count == 1)
                #expect(exchangeView.order.lines.map(\.sku) == ["sku_dx_L"])
                #expect(try await world.direct["orders"]!.unary(OrdersMethods.getStock, .with { $0.sku = "sku_dx_L" }).stock.quantity == 1)
                try await StepRefusalTests.faults(world, "")
                #expect(try await world.cli.call(OperationsMethods.listSagas, .with { $0.state = "completed" }, key: nil).sagas.count
                    == (try await world.cli.call(OperationsMethods.listSagas, .init(), key: nil).sagas.count))
                try await StepRefusalTests.reconciled(world)
            }
        }

        @Test("every feed event delivered again: the gateway restarted with its cursors back at the start starts no saga, notifies no one and pays nothing twice")
        func everyFeedEventAgain() async throws {
            try await GatewayWorld.run { world in
                let order = try await world.deliveredOrder([("sku_again", 1, 5_000)], tracking: "SFAGAIN00001")
                let caseID = try await world.apply(.returnAndRefund, order).record.caseID
                let awaiting = try await world.caseView(caseID, while: ["APPROVED"])
                try await world.deliver(awaiting.record.returnShipment.shipmentID)
                _ = try await world.caseView(caseID, while: ["AWAITING_RETURN_SHIPMENT", "RETURN_IN_TRANSIT"])
                _ = try await world.act(GatewayMethods.confirmReceipt, caseID, by: world.seller())
                _ = try await PublicExchangeTests.inspect(caseID, receivedOK: 1, world)
                let before = try await world.caseView(caseID, while: ["REFUND_APPROVED", "REFUNDING"])
                #expect(before.record.state == "REFUNDED")
                try await PublicSurfaceTests.everyEventInItsInboxesOnce(world)
                let sagas = try await world.cli.call(OperationsMethods.listSagas, .init(), key: nil).sagas
                let buyerInbox = try await world.buyer().call(GatewayMethods.listNotifications, .with { $0.limit = 1_000 }, key: nil).items

                try await world.process("gateway").stop()
                #expect(try await world.writeDatabase("gateway", "UPDATE feed_cursors SET after_seq = 0") == 5)
                try await world.start("gateway")
                try await Self.caughtUp(world)

                #expect(try await world.cli.call(OperationsMethods.listSagas, .init(), key: nil).sagas == sagas)
                #expect(try await world.buyer().call(GatewayMethods.listNotifications, .with { $0.limit = 1_000 }, key: nil).items == buyerInbox)
                try await PublicSurfaceTests.everyEventInItsInboxesOnce(world)
                #expect(try await world.caseView(caseID).history == before.history)
                try await Self.paidOnce(order, amount: 5_000, world)
            }
        }

        /// Waits (up to 30 s) until the gateway's cursor on every feed is at that feed's head.
        static func caughtUp(_ world: GatewayWorld) async throws {
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                var behind = false
                for name in GatewayWorld.serviceNames {
                    let head = try await world.direct[name]!.unary(FeedMethods.readEvents, .with { $0.limit = 1 }).headSeq
                    let cursor = try await world.readDatabase("gateway", "SELECT after_seq FROM feed_cursors WHERE source = '\(name)'") ?? 0
                    behind = behind || cursor < head
                }
                if !behind { return }
                try await Task.sleep(for: .milliseconds(50))
            }
            Issue.record("the restarted gateway did not catch up with the feeds")
        }

        /// Payments paid the order back once, orders booked it once, reconciliation finds nothing.
        static func paidOnce(_ order: Aftercare_Orders_V1_Order, amount: Int64, refundedUnits: Int64 = 1, _ world: GatewayWorld) async throws {
            let view = try await world.cli.call(GatewayMethods.getOrder, .with { $0.orderID = order.orderID }, key: nil)
            #expect(view.refunds.map(\.status) == [.refundSucceeded])
            #expect(view.refunds.first?.amount == GatewayWorld.cny(amount))
            #expect(view.order.refunded == GatewayWorld.cny(amount))
            #expect(view.order.lines.first?.refundedQuantity == refundedUnits)
            try await StepRefusalTests.reconciled(world)
        }
    }
}
