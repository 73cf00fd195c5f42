import AftercareLogisticsAPI

extension ShipmentRecord {
    /// The shipment as the API answers it, with `history` (oldest first).
    func proto(history: [ShipmentEventRecord] = []) -> Aftercare_Logistics_V1_Shipment {
        var shipment = Aftercare_Logistics_V1_Shipment()
        shipment.shipmentID = self.shipmentID
        shipment.kind = self.kind.proto
        shipment.state = self.state.proto
        shipment.orderID = self.orderID
        shipment.caseID = self.caseID
        shipment.buyerID = self.buyerID
        shipment.sellerID = self.sellerID
        shipment.carrier = self.carrier
        shipment.trackingNumber = self.trackingNumber
        shipment.trackingSource = switch self.trackingSource {
        case .sender: .sender
        case .label: .label
        case .buyer: .buyer
        }
        if let label = self.label {
            var proto = Aftercare_Logistics_V1_ReturnLabel()
            proto.carrier = label.carrier
            proto.trackingNumber = label.trackingNumber
            proto.createdAtUnixMicros = label.createdAtMicros
            proto.voidedAtUnixMicros = label.voidedAtMicros ?? 0
            shipment.label = proto
        }
        shipment.senderAddress = self.senderAddress
        shipment.recipientAddress = self.recipientAddress
        shipment.cancelReason = self.cancelReason
        shipment.pickedUpAtUnixMicros = self.pickedUpAtMicros ?? 0
        shipment.deliveredAtUnixMicros = self.deliveredAtMicros ?? 0
        shipment.createdAtUnixMicros = self.createdAtMicros
        shipment.updatedAtUnixMicros = self.updatedAtMicros
        shipment.events = history.map(\.proto)
        return shipment
    }
}

extension ShipmentEventRecord {
    /// The history entry as the API answers it.
    var proto: Aftercare_Logistics_V1_ShipmentEvent {
        var event = Aftercare_Logistics_V1_ShipmentEvent()
        event.seq = self.seq
        event.kind = switch self.kind {
        case .created: .created
        case .labelVoided: .labelVoided
        case .buyerTrackingRegistered: .buyerTrackingRegistered
        case .cancelled: .cancelled
        case .pickedUp: .pickedUp
        case .inTransit: .inTransit
        case .delivered: .delivered
        case .lost: .lost
        }
        event.effect = switch self.effect {
        case .advanced: .advanced
        case .advancedPickUpImplied: .advancedPickUpImplied
        case .historyOnly: .historyOnly
        }
        event.carrier = self.carrier ?? ""
        event.carrierEventID = self.carrierEventID ?? ""
        event.trackingNumber = self.trackingNumber ?? ""
        event.occurredAtUnixMicros = self.occurredAtMicros
        event.recordedAtUnixMicros = self.recordedAtMicros
        event.location = self.location
        event.description_p = self.description
        event.note = self.note
        return event
    }

    /// The feed's event type for this entry.
    var feedType: String {
        switch self.kind {
        case .created: LogisticsEventTypes.created
        case .labelVoided: LogisticsEventTypes.labelVoided
        case .buyerTrackingRegistered: LogisticsEventTypes.buyerTrackingRegistered
        case .cancelled: LogisticsEventTypes.cancelled
        case .pickedUp: LogisticsEventTypes.pickedUp
        case .inTransit: LogisticsEventTypes.inTransit
        case .delivered: LogisticsEventTypes.delivered
        case .lost: LogisticsEventTypes.lost
        }
    }
}
