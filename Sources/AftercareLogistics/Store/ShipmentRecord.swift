/// Whose tracking number a shipment travels under.
package enum TrackingSource: String, Sendable, Hashable {
    /// Given by the creator.
    case sender
    /// The label the service generated for a return.
    case label
    /// Registered by the buyer on a return.
    case buyer
}

/// A return's label as stored.
package struct ReturnLabelRecord: Sendable, Hashable {
    package var carrier: String
    package var trackingNumber: String
    package var createdAtMicros: Int64
    package var voidedAtMicros: Int64?
}

/// One row of `shipments`.
package struct ShipmentRecord: Sendable, Hashable {
    package var shipmentID: String
    package var kind: ShipmentKind
    package var state: ShipmentState
    package var orderID: String
    package var caseID: String
    package var buyerID: String
    package var sellerID: String
    package var carrier: String
    package var trackingNumber: String
    package var trackingSource: TrackingSource
    package var label: ReturnLabelRecord?
    package var senderAddress: String
    package var recipientAddress: String
    package var cancelReason: String
    package var pickedUpAtMicros: Int64?
    package var deliveredAtMicros: Int64?
    package var createdAtMicros: Int64
    package var updatedAtMicros: Int64
}

/// What one history entry records.
package enum ShipmentEventKind: String, Sendable, Hashable {
    case created
    case labelVoided = "label_voided"
    case buyerTrackingRegistered = "buyer_tracking_registered"
    case cancelled
    case pickedUp = "picked_up"
    case inTransit = "in_transit"
    case delivered
    case lost

    init(_ kind: CarrierEventKind) {
        switch kind {
        case .pickedUp: self = .pickedUp
        case .inTransit: self = .inTransit
        case .delivered: self = .delivered
        case .lost: self = .lost
        }
    }
}

/// One row of `shipment_events`: an entry in a shipment's history.
package struct ShipmentEventRecord: Sendable, Hashable {
    package var shipmentID: String
    /// 1, 2, 3, … within the shipment; assigned when appended.
    package var seq: Int64 = 0
    package var kind: ShipmentEventKind
    package var effect: ShipmentRules.Effect
    /// Set for carrier events only.
    package var carrier: String?
    package var carrierEventID: String?
    package var trackingNumber: String?
    package var occurredAtMicros: Int64
    package var recordedAtMicros: Int64
    package var location: String = ""
    package var description: String = ""
    package var note: String = ""
}

/// One row of `tracking_numbers`: which shipment a carrier's number belongs to.
package struct TrackingRecord: Sendable, Hashable {
    package var carrier: String
    package var trackingNumber: String
    package var shipmentID: String
    package var source: TrackingSource
    /// Set once a label's number is void.
    package var voidedAtMicros: Int64?
}
