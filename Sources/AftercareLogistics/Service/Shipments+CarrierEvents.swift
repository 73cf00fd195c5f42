import AftercareLogisticsAPI
import AftercareRPC
import AftercareServiceKit
import Logging

extension Shipments {
    /// Records a carrier event: idempotent by (carrier, event id), out-of-order events handled by
    /// ``ShipmentRules/apply(_:to:)``. Every event that is not a duplicate goes into the history and
    /// onto the feed, whatever its effect.
    func ingest(_ event: CarrierEvent, context: ServerContext, in db: any SQLConnection) throws -> Aftercare_Logistics_V1_IngestCarrierEventResponse {
        // One event delivered twice at once: the second reads the first's entry once it committed,
        // and answers it as a duplicate.
        try db.serialize(on: SQLLockKey("carrier_event:\(event.carrier)/\(event.eventID)"))
        if let first = try self.store.carrierEvent(carrier: event.carrier, eventID: event.eventID, in: db) {
            guard event.matches(first) else {
                throw RPCError.invalidField(
                    "carrier_event_id", "\(event.carrier) event \(event.eventID) was already recorded with different content")
            }
            return try self.duplicate(first, in: db)
        }
        guard let owner = try self.store.tracking(carrier: event.carrier, number: event.trackingNumber, in: db) else {
            throw RPCError.notFound("tracking_number", kind: "shipment with \(event.carrier) tracking number", id: event.trackingNumber)
        }
        var shipment = try self.loadForChange(owner.shipmentID, in: db)
        // Read again under the shipment's lock: the buyer may have voided the label meanwhile.
        if try self.store.tracking(carrier: event.carrier, number: event.trackingNumber, in: db)?.voidedAtMicros != nil {
            throw RPCError.failedPrecondition(
                "\(event.carrier) tracking number \(event.trackingNumber) is the void label of shipment \(owner.shipmentID)")
        }
        let outcome = ShipmentRules.apply(event.kind, to: shipment.state)
        let now = self.clock.nowMicros
        if outcome.effect != .historyOnly {
            shipment.state = outcome.state
            if event.kind == .pickedUp || outcome.effect == .advancedPickUpImplied {
                shipment.pickedUpAtMicros = event.occurredAtMicros
            }
            if event.kind == .delivered {
                shipment.deliveredAtMicros = event.occurredAtMicros
            }
            shipment.updatedAtMicros = now
            try self.store.update(shipment, in: db)
        }
        let entry = try self.record(
            ShipmentEventRecord(
                shipmentID: shipment.shipmentID, kind: ShipmentEventKind(event.kind), effect: outcome.effect, carrier: event.carrier,
                carrierEventID: event.eventID, trackingNumber: event.trackingNumber, occurredAtMicros: event.occurredAtMicros,
                recordedAtMicros: now, location: event.location, description: event.description, note: outcome.note),
            of: shipment, context: context, in: db)
        db.logCommitted(
            context.logger, "carrier event recorded",
            metadata: [
                "shipment.id": "\(shipment.shipmentID)", "carrier": "\(event.carrier)", "carrier.event_id": "\(event.eventID)",
                "carrier.event_kind": "\(event.kind)", "carrier.effect": "\(outcome.effect.rawValue)", "shipment.state": "\(shipment.state)",
            ])
        var response = Aftercare_Logistics_V1_IngestCarrierEventResponse()
        response.shipment = try self.answer(shipment, in: db)
        response.event = entry.proto
        return response
    }

    /// The answer to a carrier event recorded before: its first entry, the shipment as it is now.
    func duplicate(_ first: ShipmentEventRecord, in db: any SQLConnection) throws -> Aftercare_Logistics_V1_IngestCarrierEventResponse {
        var response = Aftercare_Logistics_V1_IngestCarrierEventResponse()
        response.shipment = try self.answer(try self.load(first.shipmentID, in: db), in: db)
        response.event = first.proto
        response.duplicate = true
        return response
    }
}
