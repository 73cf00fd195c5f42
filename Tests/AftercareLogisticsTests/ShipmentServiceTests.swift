import AftercareLogistics
import AftercareLogisticsAPI
import AftercareRPC
import AftercareServiceKit
import AftercareWire
import Testing

/// The Logistics methods in process: shipments, labels, the buyer's tracking, cancellation, carrier
/// events and the feed.
@Suite("Logistics service")
struct ShipmentServiceTests {
    @Test("an outbound shipment follows the simulator to delivered; every step is on the feed")
    func outboundToDelivered() async throws {
        try await LogisticsHarness.run { logistics in
            let shipment = try await logistics.create(.outbound, tracking: "SF1000000001")
            #expect(shipment.state == .labelCreated)
            #expect(shipment.trackingSource == .sender)
            #expect(!shipment.hasLabel)
            var states: [Aftercare_Logistics_V1_ShipmentState] = []
            for _ in 0..<3 { states.append(try await logistics.advance(shipment.shipmentID).shipment.state) }
            #expect(states == [.pickedUp, .inTransit, .delivered])
            let delivered = try await logistics.get(shipment.shipmentID)
            #expect(delivered.events.map(\.kind) == [.created, .pickedUp, .inTransit, .delivered])
            #expect(delivered.deliveredAtUnixMicros > 0 && delivered.pickedUpAtUnixMicros > 0)
            await #expect(throws: RPCError.self) { try await logistics.advance(shipment.shipmentID) }
            #expect(try await logistics.feedTypes() == [
                LogisticsEventTypes.created, LogisticsEventTypes.pickedUp, LogisticsEventTypes.inTransit, LogisticsEventTypes.delivered,
            ])
            let last = try #require(try await logistics.feed.read(afterSeq: 3, limit: 1).first)
            #expect(last.subjects.shipmentID == shipment.shipmentID && last.subjects.orderID == "ord_1")
            #expect(last.buyerID == "buyer_1" && last.sellerID == "seller_1")
            let change = try #require(last.payload(as: Aftercare_Logistics_V1_ShipmentChanged.self))
            #expect(change.entry.carrierEventID.hasPrefix("sim_"))
            #expect(change.shipment.state == .delivered && change.shipment.events.isEmpty)
        }
    }

    @Test("a return gets a label with a generated number; the buyer's own tracking voids it")
    func returnWithBuyerTracking() async throws {
        try await LogisticsHarness.run { logistics in
            let shipment = try await logistics.create(.return, carrier: "yto")
            #expect(shipment.trackingSource == .label)
            #expect(shipment.label.trackingNumber == shipment.trackingNumber && shipment.trackingNumber.hasPrefix("YT"))
            #expect(shipment.label.voidedAtUnixMicros == 0)
            let request = Requests.buyerTracking(shipment.shipmentID)
            let registered = try await logistics.client.unary(
                LogisticsMethods.registerBuyerTracking, request, options: .init(idempotencyKey: "buyer-1"))
            #expect(registered.carrier == "zto" && registered.trackingNumber == "ZT0000000001" && registered.trackingSource == .buyer)
            #expect(registered.label.voidedAtUnixMicros > 0)
            #expect(registered.events.map(\.kind) == [.created, .labelVoided, .buyerTrackingRegistered])
            // The same key answers the same; the void label takes no carrier events; the buyer's number does.
            let again = try await logistics.client.unary(LogisticsMethods.registerBuyerTracking, request, options: .init(idempotencyKey: "buyer-1"))
            #expect(again == registered)
            let voided = await #expect(throws: RPCError.self) {
                try await logistics.ingest(shipment, .pickedUp, id: "yto-1")
            }
            #expect(voided?.code == .failedPrecondition)
            let picked = try await logistics.ingest(registered, .pickedUp, id: "zto-1")
            #expect(picked.shipment.state == .pickedUp)
            // Tracking by the label's number still finds the shipment.
            var track = Aftercare_Logistics_V1_TrackShipmentRequest()
            track.carrier = "yto"
            track.trackingNumber = shipment.trackingNumber
            #expect(try await logistics.client.unary(LogisticsMethods.trackShipment, track).shipmentID == shipment.shipmentID)
            #expect(try await logistics.feedTypes() == [
                LogisticsEventTypes.created, LogisticsEventTypes.labelVoided, LogisticsEventTypes.buyerTrackingRegistered,
                LogisticsEventTypes.pickedUp,
            ])
        }
    }

    @Test("a duplicate carrier event id is a no-op; the same id with other content is refused")
    func duplicateCarrierEvent() async throws {
        try await LogisticsHarness.run { logistics in
            let shipment = try await logistics.create(.outbound, tracking: "SF1000000002")
            let first = try await logistics.ingest(shipment, .pickedUp, id: "sf-evt-1", atSecond: 10)
            #expect(!first.duplicate)
            let before = try await logistics.dump()
            let repeated = try await logistics.ingest(shipment, .pickedUp, id: "sf-evt-1", atSecond: 10)
            #expect(repeated.duplicate)
            #expect(repeated.event == first.event)
            #expect(repeated.shipment == first.shipment)
            let different = await #expect(throws: RPCError.self) {
                try await logistics.ingest(shipment, .delivered, id: "sf-evt-1", atSecond: 20)
            }
            #expect(different?.code == .invalidArgument && different?.message.hasPrefix("carrier_event_id:") == true)
            #expect(try await logistics.dump() == before)
        }
    }

    @Test("out of order: a delivery before its pick-up implies it; older events are history only, still on the feed")
    func outOfOrder() async throws {
        try await LogisticsHarness.run { logistics in
            let shipment = try await logistics.create(.replacement, tracking: "JDV000000000001", caseID: "case_9")
            let delivered = try await logistics.ingest(shipment, .delivered, id: "jd-3", atSecond: 300)
            #expect(delivered.shipment.state == .delivered)
            #expect(delivered.event.effect == .advancedPickUpImplied)
            #expect(delivered.shipment.pickedUpAtUnixMicros == delivered.shipment.deliveredAtUnixMicros)
            let picked = try await logistics.ingest(shipment, .pickedUp, id: "jd-1", atSecond: 100)
            let transit = try await logistics.ingest(shipment, .inTransit, id: "jd-2", atSecond: 200)
            for late in [picked, transit] {
                #expect(late.shipment.state == .delivered)
                #expect(late.event.effect == .historyOnly)
                #expect(late.event.note.contains("older than the current state delivered"))
            }
            let events = try await logistics.feed.read(afterSeq: 0, limit: 10)
            #expect(events.map(\.type) == [
                LogisticsEventTypes.created, LogisticsEventTypes.delivered, LogisticsEventTypes.pickedUp, LogisticsEventTypes.inTransit,
            ])
            let ids = events.dropFirst().compactMap { $0.payload(as: Aftercare_Logistics_V1_ShipmentChanged.self)?.entry.carrierEventID }
            #expect(ids == ["jd-3", "jd-1", "jd-2"])
            #expect(events.allSatisfy { $0.subjects.caseID == "case_9" })
        }
    }

    @Test("a return reported lost and then delivered ends delivered: the seller has the goods")
    func lostThenFound() async throws {
        try await LogisticsHarness.run { logistics in
            let shipment = try await logistics.create(.return, caseID: "case_5")
            _ = try await logistics.ingest(shipment, .pickedUp, id: "sf-1", atSecond: 100)
            let lost = try await logistics.ingest(shipment, .lost, id: "sf-2", atSecond: 200)
            #expect(lost.shipment.state == .lost && lost.shipment.deliveredAtUnixMicros == 0)
            let found = try await logistics.ingest(shipment, .delivered, id: "sf-3", atSecond: 900)
            #expect(found.shipment.state == .delivered)
            #expect(found.event.effect == .advanced && found.event.note.contains("found"))
            #expect(found.shipment.deliveredAtUnixMicros == found.event.occurredAtUnixMicros)
            // A late in-transit scan changes nothing any more.
            #expect(try await logistics.ingest(shipment, .inTransit, id: "sf-4", atSecond: 150).event.effect == .historyOnly)
            let events = try await logistics.feed.read(afterSeq: 0, limit: 10)
            #expect(events.map(\.type) == [
                LogisticsEventTypes.created, LogisticsEventTypes.pickedUp, LogisticsEventTypes.lost, LogisticsEventTypes.delivered,
                LogisticsEventTypes.inTransit,
            ])
            let delivered = try #require(events[3].payload(as: Aftercare_Logistics_V1_ShipmentChanged.self))
            #expect(delivered.shipment.state == .delivered && delivered.shipment.caseID == "case_5")
            #expect(delivered.entry.carrier == "sf_express" && delivered.entry.carrierEventID == "sf-3" && delivered.entry.kind == .delivered)
        }
    }

    @Test("cancel before pick-up; refused after it, naming the state")
    func cancel() async throws {
        try await LogisticsHarness.run { logistics in
            let open = try await logistics.create(.return)
            let cancelled = try await logistics.client.unary(
                LogisticsMethods.cancelShipment, Requests.cancel(open.shipmentID), options: .init(idempotencyKey: "cancel-1"))
            #expect(cancelled.state == .cancelled && cancelled.cancelReason == "buyer withdrew the return")
            // Another request on a cancelled shipment answers it unchanged.
            let again = try await logistics.client.unary(
                LogisticsMethods.cancelShipment, Requests.cancel(open.shipmentID), options: .init(idempotencyKey: "cancel-2"))
            #expect(again.events.count == cancelled.events.count)
            // A carrier event after the cancellation is kept in the history only.
            let late = try await logistics.ingest(open, .pickedUp, id: "late-1")
            #expect(late.shipment.state == .cancelled && late.event.effect == .historyOnly)

            let shipped = try await logistics.create(.return, caseID: "case_2")
            _ = try await logistics.advance(shipped.shipmentID)
            let refused = await #expect(throws: RPCError.self) {
                try await logistics.client.unary(
                    LogisticsMethods.cancelShipment, Requests.cancel(shipped.shipmentID), options: .init(idempotencyKey: "cancel-3"))
            }
            #expect(refused?.code == .failedPrecondition)
            #expect(refused?.message.contains("is picked_up") == true)
        }
    }

    @Test("the buyer's own tracking is cancelled with the return")
    func cancelCoversBuyerTracking() async throws {
        try await LogisticsHarness.run { logistics in
            let shipment = try await logistics.create(.return)
            _ = try await logistics.client.unary(
                LogisticsMethods.registerBuyerTracking, Requests.buyerTracking(shipment.shipmentID), options: .init(idempotencyKey: "b"))
            let cancelled = try await logistics.client.unary(
                LogisticsMethods.cancelShipment, Requests.cancel(shipment.shipmentID), options: .init(idempotencyKey: "c"))
            #expect(cancelled.state == .cancelled && cancelled.trackingSource == .buyer && cancelled.trackingNumber == "ZT0000000001")
        }
    }

    @Test("a key reused with other arguments is refused; another request's tracking number conflicts")
    func keysAndConflicts() async throws {
        try await LogisticsHarness.run { logistics in
            let first = try await logistics.create(.outbound, tracking: "SF1000000003", key: "k-1")
            #expect(try await logistics.create(.outbound, tracking: "SF1000000003", key: "k-1") == first)
            let reused = await #expect(throws: RPCError.self) {
                try await logistics.create(.outbound, tracking: "SF1000000004", key: "k-1")
            }
            #expect(reused?.code == .invalidArgument && reused?.message.hasPrefix("idempotency_key:") == true)
            let conflict = await #expect(throws: RPCError.self) {
                try await logistics.create(.outbound, tracking: "SF1000000003", key: "k-2")
            }
            #expect(conflict?.code == .alreadyExists)
            #expect(conflict?.message.contains("SF1000000003") == true && conflict?.message.contains(first.shipmentID) == true)
            // The same number at another carrier is another parcel.
            _ = try await logistics.create(.outbound, carrier: "zto", tracking: "SF1000000003", key: "k-3")
        }
    }

    @Test("list by order (and case), track by carrier and number")
    func queries() async throws {
        try await LogisticsHarness.run { logistics in
            let outbound = try await logistics.create(.outbound, tracking: "SF1000000005", orderID: "ord_7")
            try logistics.clock.advance(byMicros: 1_000)
            let back = try await logistics.create(.return, orderID: "ord_7", caseID: "case_7")
            _ = try await logistics.create(.outbound, tracking: "SF1000000006", orderID: "ord_8")
            var list = Aftercare_Logistics_V1_ListShipmentsRequest()
            list.orderID = "ord_7"
            #expect(try await logistics.client.unary(LogisticsMethods.listShipments, list).shipments.map(\.shipmentID) == [
                outbound.shipmentID, back.shipmentID,
            ])
            list.caseID = "case_7"
            #expect(try await logistics.client.unary(LogisticsMethods.listShipments, list).shipments.map(\.shipmentID) == [back.shipmentID])
            var track = Aftercare_Logistics_V1_TrackShipmentRequest()
            track.carrier = "sf_express"
            track.trackingNumber = "SF1000000005"
            #expect(try await logistics.client.unary(LogisticsMethods.trackShipment, track) == outbound)
        }
    }
}
