package import AftercareRPC
package import AftercareServiceKit
import AftercareLogisticsAPI

/// `aftercare.logistics.v1.CarrierSimulator`: the built-in carrier for demos and tests. Each
/// command makes one carrier event for a shipment's current carrier and tracking number and feeds
/// it through the same ingestion as `IngestCarrierEvent`.
package struct CarrierSimulatorService: RPCService {
    let shipments: Shipments
    let ledger: MutationLedger
    /// Whether commands are accepted; refused with FAILED_PRECONDITION otherwise.
    package let enabled: Bool

    /// - Parameters:
    ///   - enabled: accept commands (`simulator.enabled`, default: the service's test mode).
    package init(clock: ServiceClock, feed: EventFeed, ledger: MutationLedger, enabled: Bool) {
        self.shipments = Shipments(store: LogisticsStore(), feed: feed, clock: clock)
        self.ledger = ledger
        self.enabled = enabled
    }

    package func register(in router: inout RPCRouter) {
        router.unary(CarrierSimulatorMethods.advanceShipment) { request, context in
            guard self.enabled else {
                throw RPCError.failedPrecondition("the carrier simulator is off (simulator.enabled: false)")
            }
            let requested = try ShipmentRequestCheck.advance(request)
            let eventID = request.carrierEventID.isEmpty ? RecordID.make("sim", atMicros: self.shipments.clock.nowMicros) : request.carrierEventID
            return try await self.ledger.once(context, request: request, withoutKey: .naturalKey) { db in
                let shipment = try self.shipments.loadForChange(request.shipmentID, in: db)
                if let first = try self.shipments.store.carrierEvent(carrier: shipment.carrier, eventID: eventID, in: db) {
                    // A retried command, unless the id was used for another shipment or another kind.
                    guard first.shipmentID == shipment.shipmentID, requested.map({ first.kind == ShipmentEventKind($0) }) ?? true else {
                        throw RPCError.invalidField(
                            "carrier_event_id",
                            "\(shipment.carrier) event \(eventID) was already recorded as \(first.kind) of shipment \(first.shipmentID)")
                    }
                    return try self.shipments.duplicate(first, in: db)
                }
                guard let kind = requested ?? ShipmentRules.next(after: shipment.state) else {
                    throw RPCError.failedPrecondition("shipment \(shipment.shipmentID) is \(shipment.state): no carrier event comes next")
                }
                let event = CarrierEvent(
                    carrier: shipment.carrier, trackingNumber: shipment.trackingNumber, eventID: eventID, kind: kind,
                    occurredAtMicros: request.occurredAtUnixMicros == 0 ? self.shipments.clock.nowMicros : request.occurredAtUnixMicros,
                    location: request.location.isEmpty ? "simulated \(shipment.carrier) hub" : request.location,
                    description: request.description_p.isEmpty ? "simulated \(kind)" : request.description_p)
                return try self.shipments.ingest(event, context: context, in: db)
            }
        }
    }
}
