import AftercareLogisticsAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Foundation
import Testing

/// The real `aftercare-logistics` executable over its Unix socket with mutual TLS.
@Suite("aftercare-logistics process")
struct LogisticsProcessTests {
    static func create(_ request: Aftercare_Logistics_V1_CreateShipmentRequest, key: String, on client: RPCClient) async throws
        -> Aftercare_Logistics_V1_Shipment
    {
        try await client.unary(LogisticsMethods.createShipment, request, options: .init(idempotencyKey: key))
    }

    static func advance(_ shipmentID: String, on client: RPCClient) async throws -> Aftercare_Logistics_V1_IngestCarrierEventResponse {
        var request = Aftercare_Logistics_V1_AdvanceShipmentRequest()
        request.shipmentID = shipmentID
        return try await client.unary(CarrierSimulatorMethods.advanceShipment, request)
    }

    static func read(after seq: Int64, on client: RPCClient) async throws -> Aftercare_Common_V1_ReadEventsResponse {
        var request = Aftercare_Common_V1_ReadEventsRequest()
        request.afterSeq = seq
        return try await client.unary(FeedMethods.readEvents, request)
    }

    @Test("an outbound shipment advanced to delivered by the simulator; FollowEvents and ReadEvents show every step in order")
    func outboundThroughSimulator() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let service = try await ServiceProcess.start("logistics", in: directory)
        defer { service.kill() }
        try await service.withClient { client in
            let shipment = try await Self.create(Requests.create(.outbound, tracking: "SF3000000001"), key: "c-1", on: client)
            var states: [Aftercare_Logistics_V1_ShipmentState] = []
            for _ in 0..<3 { states.append(try await Self.advance(shipment.shipmentID, on: client).shipment.state) }
            #expect(states == [.pickedUp, .inTransit, .delivered])
            let expected = [
                LogisticsEventTypes.created, LogisticsEventTypes.pickedUp, LogisticsEventTypes.inTransit, LogisticsEventTypes.delivered,
            ]
            let followed = try await client.serverStreaming(FeedMethods.followEvents, .init(), options: .init(timeout: .seconds(10))) { stream in
                var events: [Aftercare_Common_V1_Event] = []
                for try await event in stream {
                    events.append(event)
                    if events.count == expected.count { break }
                }
                return events
            }
            #expect(followed.map(\.type) == expected)
            #expect(followed.map(\.seq) == [1, 2, 3, 4])
            #expect(followed.allSatisfy { $0.source == "logistics" && $0.subjects.shipmentID == shipment.shipmentID })
            let states2 = followed.compactMap { $0.payload(as: Aftercare_Logistics_V1_ShipmentChanged.self)?.shipment.state }
            #expect(states2 == [.labelCreated, .pickedUp, .inTransit, .delivered])
            let page = try await Self.read(after: 0, on: client)
            #expect(page.events == followed)
            #expect(page.headSeq == 4)
        }
        #expect(try await service.stop() == 0)
    }

    @Test("a return with its label; the buyer registers their own tracking; a duplicate carrier event is a no-op")
    func returnBuyerTrackingAndDuplicate() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let service = try await ServiceProcess.start("logistics", in: directory)
        defer { service.kill() }
        try await service.withClient { client in
            let created = try await Self.create(Requests.create(.return, carrier: "jd_logistics"), key: "c-1", on: client)
            #expect(created.trackingSource == .label && created.trackingNumber.hasPrefix("JDV") && created.label.voidedAtUnixMicros == 0)
            let registered = try await client.unary(
                LogisticsMethods.registerBuyerTracking, Requests.buyerTracking(created.shipmentID, carrier: "sf_express", tracking: "SF3000000002"),
                options: .init(idempotencyKey: "b-1"))
            #expect(registered.trackingSource == .buyer && registered.label.voidedAtUnixMicros > 0)

            let event = Requests.event(carrier: "sf_express", tracking: "SF3000000002", id: "sf-webhook-77", kind: .pickedUp)
            let first = try await client.unary(LogisticsMethods.ingestCarrierEvent, event)
            let head = try await Self.read(after: 0, on: client).headSeq
            let second = try await client.unary(LogisticsMethods.ingestCarrierEvent, event)
            #expect(!first.duplicate && second.duplicate)
            #expect(second.event == first.event && second.shipment == first.shipment)
            #expect(try await Self.read(after: 0, on: client).headSeq == head)
            #expect(try await Self.read(after: 0, on: client).events.map(\.type) == [
                LogisticsEventTypes.created, LogisticsEventTypes.labelVoided, LogisticsEventTypes.buyerTrackingRegistered,
                LogisticsEventTypes.pickedUp,
            ])
        }
    }

    @Test("data survives SIGKILL; after a restart the feed continues from a reader's cursor without gaps")
    func killAndRestart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try await ServiceProcess.start("logistics", in: directory)
        let (shipment, cursor) = try await first.withClient { client in
            let shipment = try await Self.create(Requests.create(.outbound, tracking: "SF3000000003"), key: "c-1", on: client)
            let picked = try await Self.advance(shipment.shipmentID, on: client).shipment
            let cursor = try await Self.read(after: 0, on: client).nextAfterSeq
            _ = try await Self.advance(shipment.shipmentID, on: client)  // in_transit, not yet read
            return (picked, cursor)
        }
        #expect(cursor == 2)
        first.kill()

        let second = try await ServiceProcess.start("logistics", in: directory)
        defer { second.kill() }
        try await second.withClient { client in
            var get = Aftercare_Logistics_V1_GetShipmentRequest()
            get.shipmentID = shipment.shipmentID
            let restored = try await client.unary(LogisticsMethods.getShipment, get)
            #expect(restored.state == .inTransit)
            #expect(restored.events.map(\.kind) == [.created, .pickedUp, .inTransit])
            // The key still answers the first result after the restart.
            let again = try await Self.create(Requests.create(.outbound, tracking: "SF3000000003"), key: "c-1", on: client)
            #expect(again.shipmentID == shipment.shipmentID)
            _ = try await Self.advance(shipment.shipmentID, on: client)  // delivered
            let rest = try await Self.read(after: cursor, on: client)
            #expect(rest.events.map(\.seq) == [3, 4])
            #expect(rest.events.map(\.type) == [LogisticsEventTypes.inTransit, LogisticsEventTypes.delivered])
        }
    }
}
