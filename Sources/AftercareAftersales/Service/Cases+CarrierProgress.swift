import AftercareRPC
import AftercareServiceKit
import AftercareWire

/// Parcels and cases meet out of order: a carrier may report a pick-up before the saga that made
/// the label has recorded it, or a delivery while a cancellation runs. The case keeps every
/// shipment's furthest carrier event, and after each move catches up with news that already came.
extension Cases {
    /// Applies, one after another, the carrier events already recorded for the case's shipments
    /// that move it from where it now is (a pick-up, delivery or loss with a row in its state).
    func catchUp(_ record: inout CaseRecord, context: ServerContext?, in db: any SQLConnection) throws {
        guard !record.isClosed else { return }
        for (kind, shipment) in record.shipments {
            guard let event = CarrierProgress.caseEvent(shipment.lastEvent) else { continue }
            var action = CaseEventRequest(event, actor: "saga", actorID: context?.saga?.sagaID ?? context?.actor ?? "")
            action.carrier = CaseEventRequest.CarrierEvent(
                shipment: kind, shipmentID: shipment.shipmentID, eventID: "", name: shipment.lastEvent,
                occurredAtMicros: self.clock.nowMicros, description: "")
            guard let transition = try? record.machine.apply(event, in: record.state, facts: action.facts(on: record)),
                transition.to != record.state, !transition.recordedOnly
            else { continue }
            action.note = "caught up: the \(kind.rawValue) shipment \(shipment.shipmentID) was \(shipment.lastEvent) before the case could move"
            try self.apply(action, to: &record, context: context, in: db)
            return
        }
    }
}

extension CaseRecord {
    /// The shipments the case has recorded, by kind.
    var shipments: [(CaseFacts.Shipment, CaseShipment)] {
        [(.return, self.returnShipment), (.replacement, self.replacementShipment), (.backToBuyer, self.backToBuyerShipment)]
            .compactMap { kind, shipment in shipment.map { (kind, $0) } }
    }

    /// Records a shipment a saga made, with what its carrier already reported.
    mutating func keep(_ shipment: CaseShipment?, as kind: CaseFacts.Shipment) {
        guard var shipment else { return }
        shipment.lastEvent = self.carrierProgress[shipment.shipmentID] ?? ""
        switch kind {
        case .return:
            self.returnShipment = shipment
            if CarrierProgress.hasLeftSender(shipment.lastEvent) { self.returnPickedUp = true }
        case .replacement: self.replacementShipment = shipment
        case .backToBuyer: self.backToBuyerShipment = shipment
        }
    }

    /// Keeps a carrier event as its shipment's furthest news (events arrive out of order). A pick-up
    /// or delivery of the case's return means the goods left the buyer.
    mutating func note(_ carrier: CaseEventRequest.CarrierEvent) {
        let furthest = CarrierProgress.furthest(self.carrierProgress[carrier.shipmentID], carrier.name)
        self.carrierProgress[carrier.shipmentID] = furthest
        switch carrier.shipment {
        case .return where self.returnShipment?.shipmentID == carrier.shipmentID:
            self.returnShipment?.lastEvent = furthest
            if CarrierProgress.hasLeftSender(furthest) { self.returnPickedUp = true }
        case .replacement where self.replacementShipment?.shipmentID == carrier.shipmentID:
            self.replacementShipment?.lastEvent = furthest
        case .backToBuyer where self.backToBuyerShipment?.shipmentID == carrier.shipmentID:
            self.backToBuyerShipment?.lastEvent = furthest
        default:
            break
        }
    }
}

/// Logistics' carrier event names: how far a parcel got, and the case event each one is.
enum CarrierProgress {
    static let rank = ["label_created": 0, "cancelled": 1, "picked_up": 2, "in_transit": 3, "delivered": 4, "lost": 4]

    /// The further of two events; on a tie (or an unknown name) the one kept first.
    static func furthest(_ kept: String?, _ new: String) -> String {
        guard let kept, !kept.isEmpty else { return new }
        return (Self.rank[new] ?? -1) > (Self.rank[kept] ?? -1) ? new : kept
    }

    /// Whether the parcel left its sender.
    static func hasLeftSender(_ event: String) -> Bool { (Self.rank[event] ?? 0) >= 2 }

    /// The case event a carrier event is (a pick-up, delivery or loss; any other known name is
    /// `carrierOther`), or `nil` for a name logistics does not use.
    static func caseEvent(_ event: String) -> CaseEvent? {
        guard Self.rank[event] != nil else { return nil }
        return ["picked_up": .carrierPickedUp, "delivered": .carrierDelivered, "lost": .carrierLost][event] ?? .carrierOther
    }
}
