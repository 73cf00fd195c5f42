import AftercareLogisticsAPI
import AftercareRPC
import AftercareServiceKit

/// Logistics' operations on shipments, each inside the caller's write transaction: the state
/// change, its history entry and its feed event commit together, or not at all.
struct Shipments: Sendable {
    let store: LogisticsStore
    let feed: EventFeed
    let clock: ServiceClock

    /// The shipment `shipmentID`, or NOT_FOUND naming `field`.
    func load(_ shipmentID: String, field: String = "shipment_id", in db: any SQLConnection) throws -> ShipmentRecord {
        guard let shipment = try self.store.shipment(shipmentID, in: db) else {
            throw RPCError.notFound(field, kind: "shipment", id: shipmentID)
        }
        return shipment
    }

    /// The shipment `shipmentID` for a change: its row lock taken first
    /// (``LogisticsStore/lockShipment(_:in:)``), then read. NOT_FOUND naming `field`.
    func loadForChange(_ shipmentID: String, field: String = "shipment_id", in db: any SQLConnection) throws -> ShipmentRecord {
        guard try self.store.lockShipment(shipmentID, in: db) else {
            throw RPCError.notFound(field, kind: "shipment", id: shipmentID)
        }
        return try self.load(shipmentID, field: field, in: db)
    }

    /// The shipment as the API answers it, with its history.
    func answer(_ shipment: ShipmentRecord, in db: any SQLConnection) throws -> Aftercare_Logistics_V1_Shipment {
        shipment.proto(history: try self.store.history(of: shipment.shipmentID, in: db))
    }

    /// Appends `entry` to `shipment`'s history and puts it on the feed; returns it as stored.
    @discardableResult
    func record(_ entry: ShipmentEventRecord, of shipment: ShipmentRecord, context: ServerContext?, in db: any SQLConnection) throws
        -> ShipmentEventRecord
    {
        let stored = try self.store.append(entry, in: db)
        var change = Aftercare_Logistics_V1_ShipmentChanged()
        change.shipment = shipment.proto()
        change.entry = stored.proto
        var subjects = Aftercare_Common_V1_EventSubjects()
        subjects.shipmentID = shipment.shipmentID
        subjects.orderID = shipment.orderID
        subjects.caseID = shipment.caseID
        try self.feed.append(
            Aftercare_Common_V1_Event(
                type: stored.feedType, payload: change, subjects: subjects, buyerID: shipment.buyerID, sellerID: shipment.sellerID),
            context: context, in: db)
        return stored
    }

    /// An entry the service makes itself (not a carrier's), at the service clock's now.
    func serviceEntry(_ kind: ShipmentEventKind, of shipment: ShipmentRecord, description: String = "") -> ShipmentEventRecord {
        let now = self.clock.nowMicros
        return ShipmentEventRecord(
            shipmentID: shipment.shipmentID, kind: kind, effect: .advanced, occurredAtMicros: now, recordedAtMicros: now,
            description: description)
    }

    /// Claims `carrier`'s `number` for `shipment` (the insert decides, see
    /// ``LogisticsStore/claim(_:atMicros:in:)``); ALREADY_EXISTS naming `field` and the owner when
    /// another shipment holds it.
    func claim(
        carrier: String, number: String, source: TrackingSource, for shipmentID: String, field: String, atMicros now: Int64,
        in db: any SQLConnection
    ) throws {
        let tracking = TrackingRecord(carrier: carrier, trackingNumber: number, shipmentID: shipmentID, source: source)
        if try self.store.claim(tracking, atMicros: now, in: db) { return }
        let owner = try self.store.tracking(carrier: carrier, number: number, in: db)?.shipmentID ?? "another shipment"
        throw RPCError(
            .alreadyExists, "\(field): \(carrier) tracking number \(number) is already used by shipment \(owner)", outcome: .notExecuted)
    }
}
