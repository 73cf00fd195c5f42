import AftercareLogisticsAPI
import AftercareRPC
import AftercareTesting
import AftercareServiceKit
import Foundation
import Testing

/// Every bad request is refused with the right status, a message naming the field or the state,
/// and leaves the database (tables, ledgers and feed) exactly as it was.
@Suite("Invalid requests")
struct InvalidRequestTests {
    /// The records each case runs against.
    struct Fixture: Sendable {
        /// Outbound, sf_express SF2000000001, picked up.
        var outbound: Aftercare_Logistics_V1_Shipment
        /// A return with its label, in label_created.
        var openReturn: Aftercare_Logistics_V1_Shipment
        /// A return, picked up.
        var shippedReturn: Aftercare_Logistics_V1_Shipment
    }

    typealias Case = InvalidRequest<RPCClient, Fixture>

    static let key = CallOptions(idempotencyKey: "bad-request")
    static let long = String(repeating: "x", count: 300)

    static func create(_ edit: @escaping @Sendable (inout Aftercare_Logistics_V1_CreateShipmentRequest) -> Void)
        -> @Sendable (RPCClient, Fixture) async throws -> Void
    {
        { client, _ in
            var request = Requests.create(.return)
            edit(&request)
            _ = try await client.unary(LogisticsMethods.createShipment, request, options: key)
        }
    }

    static func ingest(_ edit: @escaping @Sendable (inout Aftercare_Logistics_V1_IngestCarrierEventRequest, Fixture) -> Void)
        -> @Sendable (RPCClient, Fixture) async throws -> Void
    {
        { client, fixture in
            var request = Requests.event(carrier: "sf_express", tracking: "SF2000000001", id: "evt-new", kind: .inTransit)
            edit(&request, fixture)
            _ = try await client.unary(LogisticsMethods.ingestCarrierEvent, request)
        }
    }

    static let cases: [Case] = [
        Case(name: "create without kind", code: .invalidArgument, names: "kind:", call: create { $0.kind = .unspecified }),
        Case(name: "create with empty order_id", code: .invalidArgument, names: "order_id:", call: create { $0.orderID = "" }),
        Case(name: "create with oversized order_id", code: .invalidArgument, names: "order_id:", call: create { $0.orderID = long }),
        Case(name: "create a return without case_id", code: .invalidArgument, names: "case_id:", call: create { $0.caseID = "" }),
        Case(name: "create with unknown carrier", code: .invalidArgument, names: "carrier:", call: create { $0.carrier = "pony_express" }),
        Case(name: "create outbound without tracking number", code: .invalidArgument, names: "tracking_number:", call: create {
            $0.kind = .outbound
        }),
        Case(name: "create with malformed tracking number", code: .invalidArgument, names: "tracking_number:", call: create {
            $0.trackingNumber = "SF 12"
        }),
        Case(name: "create without buyer_id", code: .invalidArgument, names: "buyer_id:", call: create { $0.buyerID = "" }),
        Case(name: "create with oversized address", code: .invalidArgument, names: "recipient_address:", call: create {
            $0.recipientAddress = String(repeating: "路", count: 200)
        }),
        Case(name: "create without idempotency key", code: .invalidArgument, names: "idempotency_key:", call: { client, _ in
            _ = try await client.unary(LogisticsMethods.createShipment, Requests.create(.return))
        }),
        Case(name: "create with a tracking number in use", code: .alreadyExists, names: "SF2000000001", call: create {
            $0.kind = .outbound
            $0.trackingNumber = "SF2000000001"
        }),
        Case(name: "cancel an unknown shipment", code: .notFound, names: "shipment_id:", call: { client, _ in
            _ = try await client.unary(LogisticsMethods.cancelShipment, Requests.cancel("shp_missing"), options: key)
        }),
        Case(name: "cancel without reason", code: .invalidArgument, names: "reason:", call: { client, fixture in
            _ = try await client.unary(LogisticsMethods.cancelShipment, Requests.cancel(fixture.openReturn.shipmentID, reason: ""), options: key)
        }),
        Case(name: "cancel after pick-up", code: .failedPrecondition, names: "is picked_up", call: { client, fixture in
            _ = try await client.unary(LogisticsMethods.cancelShipment, Requests.cancel(fixture.shippedReturn.shipmentID), options: key)
        }),
        Case(name: "buyer tracking on an outbound shipment", code: .failedPrecondition, names: "outbound", call: { client, fixture in
            _ = try await client.unary(
                LogisticsMethods.registerBuyerTracking, Requests.buyerTracking(fixture.outbound.shipmentID), options: key)
        }),
        Case(name: "buyer tracking after pick-up", code: .failedPrecondition, names: "is picked_up", call: { client, fixture in
            _ = try await client.unary(
                LogisticsMethods.registerBuyerTracking, Requests.buyerTracking(fixture.shippedReturn.shipmentID), options: key)
        }),
        Case(name: "buyer tracking with a number in use", code: .alreadyExists, names: "SF2000000001", call: { client, fixture in
            _ = try await client.unary(
                LogisticsMethods.registerBuyerTracking,
                Requests.buyerTracking(fixture.openReturn.shipmentID, carrier: "sf_express", tracking: "SF2000000001"), options: key)
        }),
        Case(name: "buyer tracking with unknown carrier", code: .invalidArgument, names: "carrier:", call: { client, fixture in
            _ = try await client.unary(
                LogisticsMethods.registerBuyerTracking, Requests.buyerTracking(fixture.openReturn.shipmentID, carrier: "x"), options: key)
        }),
        Case(name: "carrier event for an unknown tracking number", code: .notFound, names: "tracking_number:", call: ingest { request, _ in
            request.trackingNumber = "SF9999999999"
        }),
        Case(name: "carrier event without kind", code: .invalidArgument, names: "kind:", call: ingest { request, _ in
            request.kind = .unspecified
        }),
        Case(name: "carrier event without time", code: .invalidArgument, names: "occurred_at_unix_micros:", call: ingest { request, _ in
            request.occurredAtUnixMicros = 0
        }),
        Case(name: "carrier event with negative time", code: .invalidArgument, names: "occurred_at_unix_micros:", call: ingest { request, _ in
            request.occurredAtUnixMicros = -5
        }),
        Case(name: "carrier event without id", code: .invalidArgument, names: "carrier_event_id:", call: ingest { request, _ in
            request.carrierEventID = ""
        }),
        Case(name: "carrier event with oversized description", code: .invalidArgument, names: "description:", call: ingest { request, _ in
            request.description_p = String(repeating: long, count: 2)
        }),
        Case(name: "carrier event id reused with other content", code: .invalidArgument, names: "carrier_event_id:", call: ingest {
            request, _ in
            request.carrierEventID = "fixture-pick-up"
        }),
        Case(name: "simulator on an unknown shipment", code: .notFound, names: "shipment_id:", call: { client, _ in
            var request = Aftercare_Logistics_V1_AdvanceShipmentRequest()
            request.shipmentID = "shp_missing"
            _ = try await client.unary(CarrierSimulatorMethods.advanceShipment, request)
        }),
        Case(name: "simulator reusing another shipment's carrier event id", code: .invalidArgument, names: "carrier_event_id:", call: {
            client, fixture in
            var request = Aftercare_Logistics_V1_AdvanceShipmentRequest()
            request.shipmentID = fixture.openReturn.shipmentID
            request.carrierEventID = "fixture-pick-up"
            _ = try await client.unary(CarrierSimulatorMethods.advanceShipment, request)
        }),
        Case(name: "simulator reusing a carrier event id for another kind", code: .invalidArgument, names: "carrier_event_id:", call: {
            client, fixture in
            var request = Aftercare_Logistics_V1_AdvanceShipmentRequest()
            request.shipmentID = fixture.outbound.shipmentID
            request.carrierEventID = "fixture-pick-up"
            request.to = .delivered
            _ = try await client.unary(CarrierSimulatorMethods.advanceShipment, request)
        }),
        Case(name: "get an unknown shipment", code: .notFound, names: "shipment_id:", call: { client, _ in
            var request = Aftercare_Logistics_V1_GetShipmentRequest()
            request.shipmentID = "shp_missing"
            _ = try await client.unary(LogisticsMethods.getShipment, request)
        }),
        Case(name: "get without shipment_id", code: .invalidArgument, names: "shipment_id:", call: { client, _ in
            _ = try await client.unary(LogisticsMethods.getShipment, Aftercare_Logistics_V1_GetShipmentRequest())
        }),
        Case(name: "track with unknown carrier", code: .invalidArgument, names: "carrier:", call: track(carrier: "pony_express")),
        Case(name: "track without carrier", code: .invalidArgument, names: "carrier:", call: track(carrier: "")),
        Case(name: "track without tracking number", code: .invalidArgument, names: "tracking_number:", call: track(number: "")),
        Case(name: "track with malformed tracking number", code: .invalidArgument, names: "tracking_number:", call: track(number: "SF/1")),
        Case(name: "track with oversized tracking number", code: .invalidArgument, names: "tracking_number:", call: track(number: long)),
        Case(name: "track an unknown tracking number", code: .notFound, names: "tracking_number:", call: track(number: "SF9999999999")),
        Case(name: "list without order_id", code: .invalidArgument, names: "order_id:", call: list(order: "")),
        Case(name: "list with oversized order_id", code: .invalidArgument, names: "order_id:", call: list(order: long)),
        Case(name: "list with oversized case_id", code: .invalidArgument, names: "case_id:", call: list(order: "ord_1", case: long)),
    ]

    static func track(carrier: String = "sf_express", number: String = "SF2000000001") -> @Sendable (RPCClient, Fixture) async throws -> Void {
        { client, _ in
            var request = Aftercare_Logistics_V1_TrackShipmentRequest()
            request.carrier = carrier
            request.trackingNumber = number
            _ = try await client.unary(LogisticsMethods.trackShipment, request)
        }
    }

    static func list(order: String, case caseID: String = "") -> @Sendable (RPCClient, Fixture) async throws -> Void {
        { client, _ in
            var request = Aftercare_Logistics_V1_ListShipmentsRequest()
            request.orderID = order
            request.caseID = caseID
            _ = try await client.unary(LogisticsMethods.listShipments, request)
        }
    }

    @Test(arguments: cases)
    func refused(_ example: Case) async throws {
        try await LogisticsHarness.run { logistics in
            let outbound = try await logistics.create(.outbound, tracking: "SF2000000001")
            _ = try await logistics.ingest(outbound, .pickedUp, id: "fixture-pick-up")
            let shippedReturn = try await logistics.create(.return, caseID: "case_2")
            _ = try await logistics.advance(shippedReturn.shipmentID)
            let fixture = Fixture(outbound: outbound, openReturn: try await logistics.create(.return), shippedReturn: shippedReturn)
            let before = try await logistics.dump()
            #expect(before.contains { $0.hasPrefix("feed_events:") } && before.contains { $0.hasPrefix("idempotency_keys:") })
            let problems = try await example.problems(logistics.client, fixture) { try await logistics.dump() }
            #expect(problems.isEmpty, "\(problems)")
        }
    }
}
