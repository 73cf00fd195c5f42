import AftercareLogistics
import AftercareLogisticsAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import AftercareWire
import Foundation
import GRDB

/// Logistics in process on an in-memory database, with a test clock, its feed and ledgers, the
/// simulator on, and a client; plus the helpers the suites share.
struct LogisticsHarness: Sendable {
    static let start = InMemoryService.start

    let database: ServiceDatabase
    let clock: ServiceClock
    let feed: EventFeed
    let client: RPCClient

    /// Runs `body` against a fresh logistics service.
    static func run<Result: Sendable>(_ body: @Sendable (LogisticsHarness) async throws -> Result) async throws -> Result {
        let service = try InMemoryService("logistics", migrations: .logistics)
        let (database, clock, feed, ledger) = (service.database, service.clock, service.feed, service.ledger)
        let services: [any RPCService] = [
            LogisticsService(database: database, clock: clock, feed: feed, ledger: ledger),
            CarrierSimulatorService(clock: clock, feed: feed, ledger: ledger, enabled: true),
        ]
        return try await service.serve(services) { client in
            try await body(LogisticsHarness(database: database, clock: clock, feed: feed, client: client))
        }
    }

    /// Every row of logistics' tables and the shared ledgers and feed, as text: equal dumps mean
    /// nothing changed.
    func dump() async throws -> [String] {
        try await self.database.dump()
    }

    /// The types of every event on the feed, in order.
    func feedTypes() async throws -> [String] {
        try await self.feed.read(afterSeq: 0, limit: 1_000).map(\.type)
    }

    func create(
        _ kind: Aftercare_Logistics_V1_ShipmentKind, carrier: String = "sf_express", tracking: String = "", orderID: String = "ord_1",
        caseID: String = "case_1", key: String? = nil
    ) async throws -> Aftercare_Logistics_V1_Shipment {
        try await self.client.unary(
            LogisticsMethods.createShipment, Requests.create(kind, carrier: carrier, tracking: tracking, orderID: orderID, caseID: caseID),
            options: .init(idempotencyKey: key ?? "create-\(UUID().uuidString)"))
    }

    func ingest(
        _ shipment: Aftercare_Logistics_V1_Shipment, _ kind: Aftercare_Logistics_V1_CarrierEventKind, id: String, atSecond second: Int64 = 0
    ) async throws -> Aftercare_Logistics_V1_IngestCarrierEventResponse {
        try await self.client.unary(
            LogisticsMethods.ingestCarrierEvent,
            Requests.event(carrier: shipment.carrier, tracking: shipment.trackingNumber, id: id, kind: kind, atSecond: second))
    }

    func advance(_ shipmentID: String) async throws -> Aftercare_Logistics_V1_IngestCarrierEventResponse {
        var request = Aftercare_Logistics_V1_AdvanceShipmentRequest()
        request.shipmentID = shipmentID
        return try await self.client.unary(CarrierSimulatorMethods.advanceShipment, request)
    }

    func get(_ shipmentID: String) async throws -> Aftercare_Logistics_V1_Shipment {
        var request = Aftercare_Logistics_V1_GetShipmentRequest()
        request.shipmentID = shipmentID
        return try await self.client.unary(LogisticsMethods.getShipment, request)
    }
}

/// Requests the suites build.
enum Requests {
    static func create(
        _ kind: Aftercare_Logistics_V1_ShipmentKind, carrier: String = "sf_express", tracking: String = "", orderID: String = "ord_1",
        caseID: String = "case_1"
    ) -> Aftercare_Logistics_V1_CreateShipmentRequest {
        var request = Aftercare_Logistics_V1_CreateShipmentRequest()
        request.kind = kind
        request.orderID = orderID
        request.caseID = kind == .outbound ? "" : caseID
        request.carrier = carrier
        request.trackingNumber = tracking
        request.buyerID = "buyer_1"
        request.sellerID = "seller_1"
        request.recipientAddress = "1 Nanjing Road, Shanghai"
        return request
    }

    static func event(
        carrier: String, tracking: String, id: String, kind: Aftercare_Logistics_V1_CarrierEventKind, atSecond second: Int64 = 0
    ) -> Aftercare_Logistics_V1_IngestCarrierEventRequest {
        var request = Aftercare_Logistics_V1_IngestCarrierEventRequest()
        request.carrier = carrier
        request.trackingNumber = tracking
        request.carrierEventID = id
        request.kind = kind
        request.occurredAtUnixMicros = ServiceClock.micros(LogisticsHarness.start) + second * 1_000_000
        request.location = "Shenzhen hub"
        return request
    }

    static func cancel(_ shipmentID: String, reason: String = "buyer withdrew the return") -> Aftercare_Logistics_V1_CancelShipmentRequest {
        var request = Aftercare_Logistics_V1_CancelShipmentRequest()
        request.shipmentID = shipmentID
        request.reason = reason
        return request
    }

    static func buyerTracking(_ shipmentID: String, carrier: String = "zto", tracking: String = "ZT0000000001")
        -> Aftercare_Logistics_V1_RegisterBuyerTrackingRequest
    {
        var request = Aftercare_Logistics_V1_RegisterBuyerTrackingRequest()
        request.shipmentID = shipmentID
        request.carrier = carrier
        request.trackingNumber = tracking
        return request
    }
}
