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
    /// The saga paths of docs/machines.md that end otherwise than "refunded", through the public
    /// API over the six executables: the parties act, the carrier simulator moves parcels, and the
    /// gateway's own router runs every saga. Each ends with the state of every service checked and a
    /// clean reconciliation.
    @Suite("Public API: other endings")
    struct PublicPathsTests {
        @Test("a withdrawal racing the pick-up ends in transit; a lost return is refunded in full; a dispute the seller wins sends the goods back and closes the case")
        func returnsThatEndOtherwise() async throws {
            try await GatewayWorld.run { world in
                let orders = world.direct["orders"]!
                // Three delivered orders, each with an approved no-reason return waiting for its parcel.
                var cases: [(order: Aftercare_Orders_V1_Order, caseID: String, shipmentID: String)] = []
                for (index, sku) in ["sku_race", "sku_lost", "sku_disp"].enumerated() {
                    let order = try await world.deliveredOrder([(sku, 1, 8_000)], tracking: "SFPATH00000\(index)")
                    let caseID = try await world.apply(.returnAndRefund, order).record.caseID
                    let awaiting = try await world.caseView(caseID, while: ["APPROVED"])
                    #expect(awaiting.record.state == "AWAITING_RETURN_SHIPMENT")
                    cases.append((order, caseID, awaiting.record.returnShipment.shipmentID))
                }

                // The carrier picks the parcel up as the buyer withdraws: whichever the case hears
                // first, the parcel is on its way and the case follows it.
                let race = cases[0]
                try await world.advance(race.shipmentID, to: .pickedUp)
                do {
                    _ = try await world.act(GatewayMethods.withdraw, race.caseID, by: world.buyer())
                } catch let error as RPCError where error.code == .failedPrecondition || error.code == .aborted {
                    // The pick-up was recorded first: a parcel on its way cannot be withdrawn.
                }
                let raced = try await world.caseView(race.caseID, while: ["AWAITING_RETURN_SHIPMENT", "RETURN_CANCELLING"])
                #expect(raced.record.state == "RETURN_IN_TRANSIT")
                // If the withdrawal came first, its cancellation was refused by the carrier and undone.
                #expect(raced.sagas.filter { $0.definition == "Return cancellation" }.allSatisfy { $0.state == "compensated" })
                let raceShipment = try await world.buyer().call(GatewayMethods.getShipment, .with { $0.shipmentID = race.shipmentID }, key: nil)
                #expect(raceShipment.state == .pickedUp)
                let held = try await orders.unary(OrdersMethods.getReservation, .with { $0.caseID = race.caseID }).reservation
                #expect(held.status == .open)

                // A lost return: the carrier's loss is not the buyer's.
                let lost = cases[1]
                try await world.advance(lost.shipmentID, to: .pickedUp)
                try await world.advance(lost.shipmentID, to: .lost)
                let refunded = try await world.caseView(lost.caseID, while: ["AWAITING_RETURN_SHIPMENT", "RETURN_IN_TRANSIT", "REFUND_APPROVED", "REFUNDING"])
                #expect(refunded.record.state == "REFUNDED")
                #expect(refunded.record.amount == GatewayWorld.cny(8_000))
                #expect(refunded.sagas.last?.definition == "Refund")

                // A dispute the seller wins: the wrong item came back, the platform rules for the
                // seller, the goods go back to the buyer, whose delivery closes the case. Before the
                // ruling, the platform asks the seller for evidence: the buyer may not add any, the
                // seller may, and once T_arbiter closes the window neither may.
                let dispute = cases[2]
                try await world.sellerWinsDispute(dispute.caseID, returnShipmentID: dispute.shipmentID) {
                    let evidence: [Aftercare_Aftersales_V1_EvidenceInput] = [.with { $0.kind = .text; $0.text = "the packing list" }]
                    func add(by caller: GatewayWorld.Caller) async throws {
                        let version = try await world.caseView(dispute.caseID).record.version
                        _ = try await caller.call(GatewayMethods.addEvidence, .with {
                            $0.action = .with { $0.caseID = dispute.caseID; $0.version = version }
                            $0.evidence = evidence
                        })
                    }
                    let version = try await world.caseView(dispute.caseID).record.version
                    _ = try await world.support.call(GatewayMethods.requestEvidence, .with {
                        $0.action = .with { $0.caseID = dispute.caseID; $0.version = version }
                        $0.party = .seller
                    })
                    try await expectStatus(.failedPrecondition, containing: "the platform asked the seller for evidence") { try await add(by: world.buyer()) }
                    try await add(by: world.seller())
                    _ = try await world.direct["aftersales"]!.unary(OperatorMethods.advanceClock, .with { $0.byMicros = 73 * 3_600_000_000 })
                    try await expectStatus(.failedPrecondition, containing: "the evidence window (T_arbiter)") { try await add(by: world.seller()) }
                    #expect(try await world.caseView(dispute.caseID).record.evidence.filter { $0.uploadedBy == .seller }.count == 2)
                }
                let sending = try await world.caseView(dispute.caseID, until: { !$0.record.backToBuyerShipment.shipmentID.isEmpty })
                let backToBuyer = sending.record.backToBuyerShipment.shipmentID
                #expect(backToBuyer.hasPrefix("shp_"))
                try await world.deliver(backToBuyer)
                let closed = try await world.caseView(dispute.caseID, while: ["RETURNING_TO_BUYER"])
                #expect(closed.record.state == "CLOSED_REJECTED")
                #expect(closed.sagas.map(\.definition).contains("Return to buyer"))
                let released = try await orders.unary(OrdersMethods.getReservation, .with { $0.caseID = dispute.caseID }).reservation
                #expect(released.status == .released)
                let disputeOrder = try await world.cli.call(GatewayMethods.getOrder, .with { $0.orderID = dispute.order.orderID }, key: nil)
                #expect(disputeOrder.refunds.isEmpty)
                #expect(disputeOrder.order.refundable == GatewayWorld.cny(8_000))
                #expect(disputeOrder.shipments.map(\.kind) == [.outbound, .return, .backToBuyer])

                let report = try await world.cli.call(OperationsMethods.reconcile, .init(), key: nil)
                #expect(report.disagreements.isEmpty, "\(report.disagreements.map(\.description_p))")
            }
        }

        @Test("the buyer never ships: T_ship fires, the cancellation saga cancels the label and releases the reservation")
        func buyerNeverShips() async throws {
            try await GatewayWorld.run(arguments: ["aftersales": ["--aftersales-timers-interval-ms", "50"]]) { world in
                let order = try await world.deliveredOrder([("sku_tship", 1, 7_000)], tracking: "SFTSHIP00001")
                let caseID = try await world.apply(.returnAndRefund, order).record.caseID
                let awaiting = try await world.caseView(caseID, while: ["APPROVED"])
                #expect(awaiting.record.state == "AWAITING_RETURN_SHIPMENT")
                _ = try await world.direct["aftersales"]!.unary(OperatorMethods.advanceClock, .with { $0.byMicros = 8 * 86_400_000_000 })
                let expired = try await world.caseView(caseID, while: ["AWAITING_RETURN_SHIPMENT", "RETURN_CANCELLING"])
                #expect(expired.record.state == "CLOSED_EXPIRED")
                #expect(expired.sagas.map(\.definition) == ["Return setup", "Return cancellation"])
                #expect(expired.history.contains { $0.event == "T_ship fired" })
                let label = try await world.buyer().call(GatewayMethods.getShipment, .with { $0.shipmentID = awaiting.record.returnShipment.shipmentID }, key: nil)
                #expect(label.state == .cancelled)
                let view = try await world.buyer().call(GatewayMethods.getOrder, .with { $0.orderID = order.orderID }, key: nil)
                #expect(view.order.reserved == GatewayWorld.cny(0))
                #expect(view.order.refundable == GatewayWorld.cny(7_000))
                let report = try await world.cli.call(OperationsMethods.reconcile, .init(), key: nil)
                #expect(report.disagreements.isEmpty, "\(report.disagreements.map(\.description_p))")
            }
        }

        @Test("a declined refund paid by hand: the operator records a manual payout, a new Refund saga pays through the manual channel")
        func manualPayout() async throws {
            try await GatewayWorld.run(arguments: ["payments": ["--payments-simulator-decline-amounts-ending-in", "99"]]) { world in
                let order = try await world.paidOrder([("sku_manual", 1, 2_999)], shippingFee: 1)
                let caseID = try await world.apply(.refundOnly, order, reason: .other).record.caseID
                let failed = try await world.caseView(caseID, while: ["APPROVED", "REFUNDING"])
                #expect(failed.record.state == "REFUND_FAILED")
                try await expectStatus(.invalidArgument, containing: "reference") {
                    _ = try await world.cli.call(OperationsMethods.recordManualPayout, .with { $0.caseID = caseID })
                }
                let approved = try await world.cli.call(
                    OperationsMethods.recordManualPayout, .with { $0.caseID = caseID; $0.reference = "BANK-TX-7781"; $0.reason = "provider keeps declining" })
                #expect(approved.record.manualPayoutReference == "BANK-TX-7781")
                let paid = try await world.caseView(caseID, while: ["APPROVED", "REFUNDING"])
                #expect(paid.record.state == "REFUNDED")
                #expect(paid.sagas.map(\.state) == ["compensated", "completed"])
                let view = try await world.cli.call(GatewayMethods.getOrder, .with { $0.orderID = order.orderID }, key: nil)
                #expect(view.refunds.map(\.status) == [.refundFailed, .refundSucceeded])
                #expect(view.refunds.last?.channel == .manual)
                #expect(view.refunds.last?.providerReference == "BANK-TX-7781")
                #expect(view.order.refunded == GatewayWorld.cny(2_999))
                let report = try await world.cli.call(OperationsMethods.reconcile, .init(), key: nil)
                #expect(report.disagreements.isEmpty, "\(report.disagreements.map(\.description_p))")
            }
        }
    }
}
