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
    /// Each step of the sagas refused in turn, over the six executables: the gateway's own clients
    /// garble that step's request (its fault injector, scripted through the Operator's SetFaults in
    /// test mode), so the real participant refuses it (INVALID_ARGUMENT, nothing run). Before or at
    /// the pivot the completed steps are compensated newest first and the case shows the recorded
    /// outcome; after it the saga waits for an operator, whose retry finishes it.
    @Suite("Saga steps refused in turn")
    struct StepRefusalTests {
        /// One refusal: the saga, the refused step and the call it makes, what the saga ends as and
        /// the case's state then (after an operator's retry, for a stuck saga).
        struct Row: Sendable, CustomStringConvertible {
            var saga: String
            var step: String
            var method: String
            var compensations: [String]?
            var finalState: String

            var description: String { "\(self.saga): \(self.step)" }
        }

        static let refundRows: [Row] = [
            Row(saga: "Refund", step: "reserve_refund", method: "orders/ReserveRefund", compensations: [], finalState: "REFUND_FAILED"),
            Row(saga: "Refund", step: "record_refunding", method: "aftersales/RecordRefunding", compensations: ["reserve_refund"], finalState: "REFUND_FAILED"),
            Row(saga: "Refund", step: "refund", method: "payments/Refund", compensations: ["record_refunding", "reserve_refund"], finalState: "REFUND_FAILED"),
            Row(saga: "Refund", step: "commit_refund", method: "orders/CommitRefund", compensations: nil, finalState: "REFUNDED"),
            Row(saga: "Refund", step: "record_refunded", method: "aftersales/RecordRefunded", compensations: nil, finalState: "REFUNDED"),
        ]
        static let returnSetupRows: [Row] = [
            Row(saga: "Return setup", step: "reserve", method: "orders/ReserveRefund", compensations: [], finalState: "CLOSED_REJECTED"),
            Row(saga: "Return setup", step: "create_return_shipment", method: "logistics/CreateShipment", compensations: ["reserve"], finalState: "CLOSED_REJECTED"),
            Row(saga: "Return setup", step: "record_awaiting_return", method: "aftersales/RecordAwaitingReturn", compensations: nil, finalState: "AWAITING_RETURN_SHIPMENT"),
        ]
        static let returnCancellationRows: [Row] = [
            // A refused cancellation is the carrier's "already picked up": the case follows the parcel.
            Row(saga: "Return cancellation", step: "cancel_return_shipment", method: "logistics/CancelShipment", compensations: [], finalState: "RETURN_IN_TRANSIT"),
            // After the label is cancelled the release only goes forward: refused, the saga waits for
            // the operator's retry. (When the release was the pivot, its refusal compensated the
            // cancellation, which logistics must refuse, and the saga could only be resolved by hand.)
            Row(saga: "Return cancellation", step: "release_reservation", method: "orders/ReleaseReservation", compensations: nil, finalState: "CLOSED_WITHDRAWN"),
            Row(saga: "Return cancellation", step: "record_return_cancelled", method: "aftersales/RecordReturnCancelled", compensations: nil, finalState: "CLOSED_WITHDRAWN"),
        ]
        static let carrierProgressRows: [Row] = [
            // The pivot and only step: nothing to undo, the case is left as it was.
            Row(saga: "Carrier progress", step: "record_carrier_event", method: "aftersales/RecordCarrierEvent", compensations: [], finalState: "AWAITING_RETURN_SHIPMENT"),
        ]
        static let exchangeFulfilmentRows: [Row] = [
            Row(saga: "Exchange fulfilment", step: "create_replacement_shipment", method: "logistics/CreateShipment", compensations: nil, finalState: "REPLACEMENT_SHIPPED"),
            Row(saga: "Exchange fulfilment", step: "record_replacement_shipped", method: "aftersales/RecordReplacementShipped", compensations: nil, finalState: "REPLACEMENT_SHIPPED"),
        ]

        @Test("Refund, each step refused", arguments: Self.refundRows)
        func refund(_ row: Row) async throws {
            try await GatewayWorld.run { world in
                let order = try await world.paidOrder([("sku_rf", 1, 6_000)])
                try await Self.faults(world, "garble-request \(row.method) #1")
                let caseID = try await world.apply(.refundOnly, order, reason: .other).record.caseID
                let view = try await Self.check(row, caseID, world)
                let after = try await world.cli.call(GatewayMethods.getOrder, .with { $0.orderID = order.orderID }, key: nil)
                let reservation = try? await world.direct["orders"]!.unary(OrdersMethods.getReservation, .with { $0.caseID = caseID }).reservation
                if view.record.state == "REFUND_FAILED" {
                    #expect(after.refunds.allSatisfy { $0.status != .refundSucceeded })
                    #expect(after.order.reserved == GatewayWorld.cny(0))
                    #expect(reservation == nil || reservation?.status == .released)
                } else {
                    #expect(after.refunds.map(\.status) == [.refundSucceeded])
                    #expect(after.order.refunded == GatewayWorld.cny(6_000))
                    #expect(reservation?.status == .committed)
                }
                try await Self.reconciled(world)
            }
        }

        @Test("Return setup, each step refused", arguments: Self.returnSetupRows)
        func returnSetup(_ row: Row) async throws {
            try await GatewayWorld.run { world in
                let order = try await world.deliveredOrder([("sku_rs", 1, 6_000)], tracking: "SFREFUSE0001")
                try await Self.faults(world, "garble-request \(row.method) #1")
                let caseID = try await world.apply(.returnAndRefund, order).record.caseID
                let view = try await Self.check(row, caseID, world)
                let reservation = try? await world.direct["orders"]!.unary(OrdersMethods.getReservation, .with { $0.caseID = caseID }).reservation
                let shipments = try await world.cli.call(GatewayMethods.getOrder, .with { $0.orderID = order.orderID }, key: nil).shipments
                let returns = shipments.filter { $0.kind == .return }
                if view.record.state == "CLOSED_REJECTED" {
                    #expect(reservation == nil || reservation?.status == .released)
                    #expect(returns.allSatisfy { $0.state == .cancelled })
                } else {
                    #expect(reservation?.status == .open)
                    #expect(returns.map(\.state) == [.labelCreated])
                }
                try await Self.reconciled(world)
            }
        }

        @Test("Return cancellation, each step refused", arguments: Self.returnCancellationRows)
        func returnCancellation(_ row: Row) async throws {
            try await GatewayWorld.run { world in
                let (_, caseID) = try await Self.awaitingReturn(world)
                try await Self.faults(world, "garble-request \(row.method) #1")
                _ = try await world.act(GatewayMethods.withdraw, caseID, by: world.buyer())
                let view = try await Self.check(row, caseID, world)
                let label = try await world.cli.call(GatewayMethods.getShipment, .with { $0.shipmentID = view.record.returnShipment.shipmentID }, key: nil)
                let reservation = try await world.direct["orders"]!.unary(OrdersMethods.getReservation, .with { $0.caseID = caseID }).reservation
                #expect(label.state == (view.record.state == "CLOSED_WITHDRAWN" ? .cancelled : .labelCreated))
                #expect(reservation.status == (view.record.state == "CLOSED_WITHDRAWN" ? .released : .open))
            }
        }

        static let returnToBuyerRows: [Row] = [
            Row(saga: "Return to buyer", step: "create_back_to_buyer_shipment", method: "logistics/CreateShipment", compensations: [], finalState: "RETURNING_TO_BUYER"),
            Row(saga: "Return to buyer", step: "release_reservation", method: "orders/ReleaseReservation", compensations: nil, finalState: "RETURNING_TO_BUYER"),
            Row(
                saga: "Return to buyer", step: "record_back_to_buyer_shipment", method: "aftersales/RecordReturnToBuyerShipment", compensations: nil,
                finalState: "RETURNING_TO_BUYER"),
        ]

        @Test("Return to buyer, each step refused: at its pivot nothing is undone and reconciliation shows the case waiting; after it, the operator's retry ships", arguments: Self.returnToBuyerRows)
        func returnToBuyer(_ row: Row) async throws {
            try await GatewayWorld.run { world in
                let (_, caseID) = try await Self.awaitingReturn(world)
                let shipmentID = try await world.caseView(caseID).record.returnShipment.shipmentID
                try await world.sellerWinsDispute(caseID, returnShipmentID: shipmentID) {
                    try await Self.faults(world, "garble-request \(row.method) #1")
                }
                let view = try await Self.check(row, caseID, world)
                let reservation = try await world.direct["orders"]!.unary(OrdersMethods.getReservation, .with { $0.caseID = caseID }).reservation
                let report = try await world.cli.call(OperationsMethods.reconcile, .init(), key: nil)
                if row.compensations == nil {
                    #expect(view.record.backToBuyerShipment.shipmentID.hasPrefix("shp_"))
                    #expect(reservation.status == .released)
                    #expect(report.disagreements.isEmpty, "\(report.disagreements.map(\.description_p))")
                } else {
                    #expect(view.record.backToBuyerShipment.shipmentID.isEmpty)
                    #expect(reservation.status == .open)
                    #expect(report.disagreements.map(\.kind) == ["case_waits_without_saga"])
                    #expect(report.disagreements.first?.records.map(\.id).first == caseID)
                }
            }
        }

        @Test("Carrier progress, its one step refused", arguments: Self.carrierProgressRows)
        func carrierProgress(_ row: Row) async throws {
            try await GatewayWorld.run { world in
                let (_, caseID) = try await Self.awaitingReturn(world)
                try await Self.faults(world, "garble-request \(row.method) #1")
                let shipmentID = try await world.caseView(caseID).record.returnShipment.shipmentID
                try await world.advance(shipmentID, to: .pickedUp)
                _ = try await world.caseView(caseID, until: { $0.sagas.contains { $0.definition == row.saga && $0.state != "running" && $0.state != "compensating" } })
                _ = try await Self.check(row, caseID, world)
                // The next carrier event carries the case on past what it missed.
                try await Self.faults(world, "")
                try await world.advance(shipmentID, to: .delivered)
                let caughtUp = try await world.caseView(caseID, while: ["AWAITING_RETURN_SHIPMENT", "RETURN_IN_TRANSIT"])
                #expect(caughtUp.record.state == "RETURN_DELIVERED")
            }
        }

        /// Exchange fulfilment's steps before its pivot run their own reservation only when the case
        /// holds none: after a lost replacement, the new saga reserves the second shipment's stock.
        static let reshipmentRows: [Row] = [
            Row(saga: "Exchange fulfilment", step: "reserve_replacement", method: "orders/ReserveReplacement", compensations: [], finalState: "CONVERSION_OFFERED"),
            Row(
                saga: "Exchange fulfilment", step: "commit_exchange", method: "orders/CommitExchange", compensations: ["reserve_replacement"],
                finalState: "CONVERSION_OFFERED"),
        ]

        @Test("Exchange fulfilment of a lost replacement, each step up to the pivot refused: nothing stays reserved, a conversion is offered", arguments: Self.reshipmentRows)
        func reshipment(_ row: Row) async throws {
            try await GatewayWorld.run { world in
                try await world.setStock("sku_rr_L", 3, variantOf: "sku_rr", price: 6_000)
                let order = try await world.deliveredOrder([("sku_rr", 1, 6_000)], tracking: "SFREFUSE0004")
                let caseID = try await PublicExchangeTests.exchangeAwaitingReplacement(order, replacementSKU: "sku_rr_L", world)
                let shipped = try await world.caseView(caseID, while: ["RETURN_ACCEPTED"])
                #expect(shipped.record.state == "REPLACEMENT_SHIPPED")
                let first = shipped.record.replacementShipment.shipmentID
                try await world.advance(first, to: .pickedUp)
                try await Self.faults(world, "garble-request \(row.method) #1")
                try await world.advance(first, to: .lost)
                _ = try await world.caseView(caseID, until: { $0.sagas.filter { $0.definition == row.saga }.count == 2 })
                _ = try await Self.check(row, caseID, world)
                // One replacement left the shelf, the lost one; the second shipment's stock is back.
                #expect(try await world.direct["orders"]!.unary(OrdersMethods.getStock, .with { $0.sku = "sku_rr_L" }).stock.quantity == 2)
                try await Self.reconciled(world)
            }
        }

        @Test("Exchange fulfilment, each step after the pivot refused", arguments: Self.exchangeFulfilmentRows)
        func exchangeFulfilment(_ row: Row) async throws {
            try await GatewayWorld.run { world in
                let (order, caseID) = try await Self.exchangeBeingInspected(world)
                try await Self.faults(world, "garble-request \(row.method) #1")
                #expect(try await PublicExchangeTests.inspect(caseID, receivedOK: 1, world).state == "RETURN_ACCEPTED")
                let view = try await Self.check(row, caseID, world)
                #expect(view.record.replacementShipment.shipmentID.hasPrefix("shp_"))
                let shipments = try await world.cli.call(GatewayMethods.getOrder, .with { $0.orderID = order.orderID }, key: nil).shipments
                #expect(shipments.filter { $0.kind == .replacement }.count == 1)
                try await Self.reconciled(world)
            }
        }

        /// Before, Exchange fulfilment only read the reservation Return setup had made, so its
        /// compensation found nothing of its own to release and the stock stayed reserved while the
        /// case offered a conversion.
        @Test("Exchange fulfilment's pivot refused while the case holds Return setup's reservation: the saga takes it over and its compensation releases it, the stock comes back, the case offers conversion")
        func exchangeFulfilmentPivot() async throws {
            try await GatewayWorld.run { world in
                let (_, caseID) = try await Self.exchangeBeingInspected(world)
                let held = try await world.direct["orders"]!.unary(OrdersMethods.getReservation, .with { $0.caseID = caseID }).reservation
                #expect(held.status == .open && held.sagaID.hasPrefix("return-setup"))
                try await Self.faults(world, "garble-request orders/CommitExchange #1")
                #expect(try await PublicExchangeTests.inspect(caseID, receivedOK: 1, world).state == "RETURN_ACCEPTED")
                let row = Row(saga: "Exchange fulfilment", step: "commit_exchange", method: "orders/CommitExchange", compensations: ["reserve_replacement"], finalState: "CONVERSION_OFFERED")
                let view = try await Self.check(row, caseID, world)
                #expect(view.sagas.last?.state == "compensated")
                let released = try await world.direct["orders"]!.unary(OrdersMethods.getReservation, .with { $0.caseID = caseID }).reservation
                #expect(released.status == .released && released.sagaID == view.sagas.last?.sagaID)
                let stock = try await world.direct["orders"]!.unary(OrdersMethods.getStock, .with { $0.sku = "sku_ef_L" }).stock
                #expect(stock.quantity == 2)
                try await Self.reconciled(world)
            }
        }

        // MARK: Steps

        /// A delivered order and its exchange for `sku_ef_L` (two in stock), approved, the return
        /// delivered and its receipt confirmed: the seller inspects next.
        static func exchangeBeingInspected(_ world: GatewayWorld) async throws -> (Aftercare_Orders_V1_Order, String) {
            try await world.setStock("sku_ef_L", 2, variantOf: "sku_ef", price: 6_000)
            let order = try await world.deliveredOrder([("sku_ef", 1, 6_000)], tracking: "SFREFUSE0003")
            let caseID = try await world.apply(.exchange, order, replacementSKU: "sku_ef_L").record.caseID
            _ = try await world.act(GatewayMethods.approve, caseID, by: world.seller())
            let awaiting = try await world.caseView(caseID, while: ["APPROVED"])
            try await world.deliver(awaiting.record.returnShipment.shipmentID)
            _ = try await world.caseView(caseID, while: ["AWAITING_RETURN_SHIPMENT", "RETURN_IN_TRANSIT"])
            _ = try await world.act(GatewayMethods.confirmReceipt, caseID, by: world.seller())
            return (order, caseID)
        }

        /// A delivered order and its approved no-reason return, waiting for the parcel.
        static func awaitingReturn(_ world: GatewayWorld) async throws -> (Aftercare_Orders_V1_Order, String) {
            let order = try await world.deliveredOrder([("sku_rc", 1, 6_000)], tracking: "SFREFUSE0002")
            let caseID = try await world.apply(.returnAndRefund, order).record.caseID
            let awaiting = try await world.caseView(caseID, while: ["APPROVED"])
            #expect(awaiting.record.state == "AWAITING_RETURN_SHIPMENT")
            return (order, caseID)
        }

        /// Scripts the gateway's outgoing faults (an empty script switches them off).
        static func faults(_ world: GatewayWorld, _ script: String) async throws {
            try await world.process("gateway").withClient(as: "cli") { client in
                _ = try await client.unary(OperatorMethods.setFaults, .with { $0.script = script })
            }
        }

        /// Waits for `row`'s saga on the case (its newest of that definition) to end, checks how it ended — the refused attempt, the
        /// compensations newest first, or stuck and then finished by an operator's retry — and the
        /// case's state; answers the case.
        static func check(_ row: Row, _ caseID: String, _ world: GatewayWorld) async throws -> Aftercare_Gateway_V1_CaseView {
            var view = try await world.caseView(caseID, until: { view in
                view.sagas.last { $0.definition == row.saga }.map { !["running", "compensating"].contains($0.state) } ?? false
            })
            let saga = try #require(view.sagas.last { $0.definition == row.saga }, "\(row)")
            let attempts = try await world.cli.call(OperationsMethods.getSaga, .with { $0.sagaID = saga.sagaID }, key: nil).attempts
            #expect(attempts.contains { $0.step == row.step && $0.direction == "forward" && $0.result == "refused" && $0.statusCode == 3 }, "\(row)")
            if let compensations = row.compensations {
                #expect(saga.state == "compensated", "\(row)")
                #expect(attempts.filter { $0.direction == "compensate" }.map(\.step) == compensations, "\(row)")
            } else {
                #expect(saga.state == "stuck", "\(row)")
                try await Self.faults(world, "")
                let retried = try await world.cli.call(OperationsMethods.retrySaga, .with { $0.sagaID = saga.sagaID; $0.reason = "participant back" })
                // The answer reads the saga after the retry is logged; the engine may have driven it on by then.
                #expect(retried.events.contains { $0.kind == "retried" && $0.reason.contains("participant back") }, "\(retried.events.map(\.kind))")
                view = try await world.caseView(caseID, until: { view in view.sagas.contains { $0.sagaID == saga.sagaID && $0.state == "completed" } })
                #expect(view.sagas.first { $0.sagaID == saga.sagaID }?.state == "completed", "\(row)")
            }
            view = try await world.caseView(caseID, while: [])
            #expect(view.record.state == row.finalState, "\(row)")
            return view
        }

        static func reconciled(_ world: GatewayWorld) async throws {
            let report = try await world.cli.call(OperationsMethods.reconcile, .init(), key: nil)
            #expect(report.disagreements.isEmpty, "\(report.disagreements.map(\.description_p))")
        }
    }
}
