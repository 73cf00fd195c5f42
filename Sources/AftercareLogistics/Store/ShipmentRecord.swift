/// Whose tracking number a shipment travels under.
public enum TrackingSource: String, Sendable, Hashable {
    /// Given by the creator.
    case sender
    /// The label the service generated for a return.
    case label
    /// Registered by the buyer on a return.
    case buyer
}

/// A return's label as stored.
public struct ReturnLabelRecord: Sendable, Hashable {
    public var carrier: String
    public var trackingNumber: String
    public var createdAtMicros: Int64
    public var voidedAtMicros: Int64?
}

/// One row of `shipments`.
public struct ShipmentRecord: Sendable, Hashable {
    public var shipmentID: String
    public var kind: ShipmentKind
    public var state: ShipmentState
    public var orderID: String
    public var caseID: String
    public var buyerID: String
    public var sellerID: String
    public var carrier: String
    public var trackingNumber: String
    public var trackingSource: TrackingSource
    public var label: ReturnLabelRecord?
    public var senderAddress: String
    public var recipientAddress: String
    public var cancelReason: String
    public var pickedUpAtMicros: Int64?
    public var deliveredAtMicros: Int64?
    public var createdAtMicros: Int64
    public var updatedAtMicros: Int64
}

/// What one history entry records.
public enum ShipmentEventKind: String, Sendable, Hashable {
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
public struct ShipmentEventRecord: Sendable, Hashable {
    public var shipmentID: String
    /// 1, 2, 3, … within the shipment; assigned when appended.
    public var seq: Int64 = 0
    public var kind: ShipmentEventKind
    public var effect: ShipmentRules.Effect
    /// Set for carrier events only.
    public var carrier: String?
    public var carrierEventID: String?
    public var trackingNumber: String?
    public var occurredAtMicros: Int64
    public var recordedAtMicros: Int64
    public var location: String = ""
    public var description: String = ""
    public var note: String = ""
}

/// One row of `tracking_numbers`: which shipment a carrier's number belongs to.
public struct TrackingRecord: Sendable, Hashable {
    public var carrier: String
    public var trackingNumber: String
    public var shipmentID: String
    public var source: TrackingSource
    /// Set once a label's number is void.
    public var voidedAtMicros: Int64?
}
