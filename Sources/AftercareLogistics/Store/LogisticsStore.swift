import AftercareRPC
package import AftercareServiceKit

/// Every SQL statement of logistics, behind methods that take the caller's transaction: one store
/// on the database layer, run by both of its drivers (SQLite through GRDB, PostgreSQL through
/// postgres-nio).
package struct LogisticsStore: Sendable {
    package init() {}

    // MARK: Shipments

    package func insert(_ shipment: ShipmentRecord, in db: any SQLConnection) throws {
        try db.execute(
            """
            INSERT INTO shipments (
                shipment_id, kind, state, order_id, case_id, buyer_id, seller_id, carrier, tracking_number, tracking_source,
                label_carrier, label_tracking_number, label_created_at, label_voided_at, sender_address, recipient_address,
                cancel_reason, picked_up_at, delivered_at, created_at, updated_at
            ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                shipment.shipmentID, shipment.kind.rawValue, shipment.state.rawValue, shipment.orderID, shipment.caseID,
                shipment.buyerID, shipment.sellerID, shipment.carrier, shipment.trackingNumber, shipment.trackingSource.rawValue,
                shipment.label?.carrier, shipment.label?.trackingNumber, shipment.label?.createdAtMicros, shipment.label?.voidedAtMicros,
                shipment.senderAddress, shipment.recipientAddress, shipment.cancelReason, shipment.pickedUpAtMicros,
                shipment.deliveredAtMicros, shipment.createdAtMicros, shipment.updatedAtMicros,
            ])
    }

    /// Writes the fields that change after creation.
    package func update(_ shipment: ShipmentRecord, in db: any SQLConnection) throws {
        try db.execute(
            """
            UPDATE shipments SET state = ?, carrier = ?, tracking_number = ?, tracking_source = ?, label_voided_at = ?,
                cancel_reason = ?, picked_up_at = ?, delivered_at = ?, updated_at = ?
            WHERE shipment_id = ?
            """,
            [
                shipment.state.rawValue, shipment.carrier, shipment.trackingNumber, shipment.trackingSource.rawValue,
                shipment.label?.voidedAtMicros, shipment.cancelReason, shipment.pickedUpAtMicros, shipment.deliveredAtMicros,
                shipment.updatedAtMicros, shipment.shipmentID,
            ])
    }

    /// Takes `shipmentID`'s row lock for the rest of the transaction (PostgreSQL: concurrent
    /// writers of the same shipment wait for each other, and the reads that follow see the latest
    /// committed row and history; SQLite: writes are serialized anyway). Every change of an existing
    /// shipment takes it before reading the shipment, so its read-modify-write and the history's
    /// numbering cannot interleave with another's. `false` when no such shipment exists.
    package func lockShipment(_ shipmentID: String, in db: any SQLConnection) throws -> Bool {
        try db.execute("UPDATE shipments SET updated_at = updated_at WHERE shipment_id = ?", [shipmentID]) > 0
    }

    package func shipment(_ shipmentID: String, in db: any SQLConnection) throws -> ShipmentRecord? {
        try db.queryOne("SELECT * FROM shipments WHERE shipment_id = ?", [shipmentID]).map(Self.shipment(from:))
    }

    /// An order's shipments (only `caseID`'s when given), oldest first.
    package func shipments(orderID: String, caseID: String?, in db: any SQLConnection) throws -> [ShipmentRecord] {
        guard let caseID else {
            return try db.query("SELECT * FROM shipments WHERE order_id = ? ORDER BY created_at, shipment_id", [orderID]).map(Self.shipment(from:))
        }
        return try db.query("SELECT * FROM shipments WHERE order_id = ? AND case_id = ? ORDER BY created_at, shipment_id", [orderID, caseID])
            .map(Self.shipment(from:))
    }

    private static func shipment(from row: SQLRow) throws -> ShipmentRecord {
        let id: String = try row["shipment_id"]
        func decode<T: RawRepresentable<String>>(_ column: String, as type: T.Type) throws -> T {
            let text: String = try row[column]
            guard let value = T(rawValue: text) else {
                throw RPCError(.dataLoss, "shipment \(id) holds an unknown \(column) \(text)")
            }
            return value
        }
        var label: ReturnLabelRecord?
        if let carrier: String = try row["label_carrier"], let number: String = try row["label_tracking_number"] {
            label = ReturnLabelRecord(
                carrier: carrier, trackingNumber: number, createdAtMicros: try row["label_created_at"], voidedAtMicros: try row["label_voided_at"])
        }
        return ShipmentRecord(
            shipmentID: id, kind: try decode("kind", as: ShipmentKind.self), state: try decode("state", as: ShipmentState.self),
            orderID: try row["order_id"], caseID: try row["case_id"], buyerID: try row["buyer_id"], sellerID: try row["seller_id"],
            carrier: try row["carrier"], trackingNumber: try row["tracking_number"],
            trackingSource: try decode("tracking_source", as: TrackingSource.self), label: label,
            senderAddress: try row["sender_address"], recipientAddress: try row["recipient_address"], cancelReason: try row["cancel_reason"],
            pickedUpAtMicros: try row["picked_up_at"], deliveredAtMicros: try row["delivered_at"], createdAtMicros: try row["created_at"],
            updatedAtMicros: try row["updated_at"])
    }

    // MARK: Tracking numbers

    package func tracking(carrier: String, number: String, in db: any SQLConnection) throws -> TrackingRecord? {
        guard
            let row = try db.queryOne(
                "SELECT shipment_id, source, voided_at FROM tracking_numbers WHERE carrier = ? AND tracking_number = ?", [carrier, number])
        else { return nil }
        let source: String = try row["source"]
        guard let parsed = TrackingSource(rawValue: source) else {
            throw RPCError(.dataLoss, "tracking number \(carrier)/\(number) holds an unknown source \(source)")
        }
        return TrackingRecord(
            carrier: carrier, trackingNumber: number, shipmentID: try row["shipment_id"], source: parsed, voidedAtMicros: try row["voided_at"])
    }

    /// Claims `tracking`'s number for its shipment: the insert itself decides, so two writers racing
    /// for one number get one `true` and one `false` (never a constraint error), on SQLite and
    /// PostgreSQL alike. `false` when the number already belongs to a shipment.
    package func claim(_ tracking: TrackingRecord, atMicros now: Int64, in db: any SQLConnection) throws -> Bool {
        try db.execute(
            """
            INSERT INTO tracking_numbers (carrier, tracking_number, shipment_id, source, voided_at, created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (carrier, tracking_number) DO NOTHING
            """,
            [tracking.carrier, tracking.trackingNumber, tracking.shipmentID, tracking.source.rawValue, tracking.voidedAtMicros, now]) > 0
    }

    package func voidTracking(carrier: String, number: String, atMicros now: Int64, in db: any SQLConnection) throws {
        try db.execute("UPDATE tracking_numbers SET voided_at = ? WHERE carrier = ? AND tracking_number = ?", [now, carrier, number])
    }

    // MARK: History

    /// Appends `entry` to its shipment's history with the next sequence number (MAX + 1: the caller
    /// holds the shipment, see ``lockShipment(_:in:)``, or has just inserted it); returns it as
    /// stored. A carrier event id another writer recorded meanwhile is ABORTED (retry: the retry
    /// finds it and answers it as a duplicate), not a constraint error.
    @discardableResult
    package func append(_ entry: ShipmentEventRecord, in db: any SQLConnection) throws -> ShipmentEventRecord {
        var entry = entry
        let last = try db.queryValue("SELECT MAX(seq) FROM shipment_events WHERE shipment_id = ?", [entry.shipmentID], as: Int64.self)
        entry.seq = (last ?? 0) + 1
        let inserted = try db.execute(
            """
            INSERT INTO shipment_events (
                shipment_id, seq, kind, effect, carrier, carrier_event_id, tracking_number, occurred_at, recorded_at, location,
                description, note
            ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            """,
            [
                entry.shipmentID, entry.seq, entry.kind.rawValue, entry.effect.rawValue, entry.carrier, entry.carrierEventID,
                entry.trackingNumber, entry.occurredAtMicros, entry.recordedAtMicros, entry.location, entry.description, entry.note,
            ])
        guard inserted > 0 else {
            throw RPCError(
                .aborted, "shipment \(entry.shipmentID): history entry \(entry.seq) or \(entry.carrier ?? "-") event \(entry.carrierEventID ?? "-") was recorded concurrently; retry",
                outcome: .notExecuted)
        }
        return entry
    }

    /// A shipment's history, oldest first.
    package func history(of shipmentID: String, in db: any SQLConnection) throws -> [ShipmentEventRecord] {
        try db.query("SELECT * FROM shipment_events WHERE shipment_id = ? ORDER BY seq", [shipmentID]).map(Self.entry(from:))
    }

    /// The entry a carrier event made, if it was recorded.
    package func carrierEvent(carrier: String, eventID: String, in db: any SQLConnection) throws -> ShipmentEventRecord? {
        try db.queryOne("SELECT * FROM shipment_events WHERE carrier = ? AND carrier_event_id = ?", [carrier, eventID]).map(Self.entry(from:))
    }

    private static func entry(from row: SQLRow) throws -> ShipmentEventRecord {
        let id: String = try row["shipment_id"]
        let kindText: String = try row["kind"]
        let effectText: String = try row["effect"]
        guard let kind = ShipmentEventKind(rawValue: kindText), let effect = ShipmentRules.Effect(rawValue: effectText) else {
            throw RPCError(.dataLoss, "shipment \(id) holds a history entry of unknown kind \(kindText) or effect \(effectText)")
        }
        return ShipmentEventRecord(
            shipmentID: id, seq: try row["seq"], kind: kind, effect: effect, carrier: try row["carrier"], carrierEventID: try row["carrier_event_id"],
            trackingNumber: try row["tracking_number"], occurredAtMicros: try row["occurred_at"], recordedAtMicros: try row["recorded_at"],
            location: try row["location"], description: try row["description"], note: try row["note"])
    }
}
