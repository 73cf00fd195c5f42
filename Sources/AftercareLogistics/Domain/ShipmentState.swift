import AftercareLogisticsAPI

/// Where a shipment is: `label_created → picked_up → in_transit → delivered`, or `cancelled` (only
/// before pick-up), or `lost`. The raw values are what the database stores.
package enum ShipmentState: String, Sendable, CaseIterable, CustomStringConvertible {
    case labelCreated = "label_created"
    case pickedUp = "picked_up"
    case inTransit = "in_transit"
    case delivered
    case cancelled
    case lost

    package var description: String { self.rawValue }

    /// Position on the way to delivery; `nil` for the states off that line (cancelled, lost).
    var progress: Int? {
        switch self {
        case .labelCreated: 0
        case .pickedUp: 1
        case .inTransit: 2
        case .delivered: 3
        case .cancelled, .lost: nil
        }
    }

    /// No carrier event moves a shipment out of a final state, except a delivery after a loss
    /// (see ``ShipmentRules/apply(_:to:)``).
    package var isFinal: Bool { self == .delivered || self == .cancelled || self == .lost }

    var proto: Aftercare_Logistics_V1_ShipmentState {
        switch self {
        case .labelCreated: .labelCreated
        case .pickedUp: .pickedUp
        case .inTransit: .inTransit
        case .delivered: .delivered
        case .cancelled: .cancelled
        case .lost: .lost
        }
    }
}

/// What a carrier reports about a parcel.
package enum CarrierEventKind: String, Sendable, CaseIterable, CustomStringConvertible {
    case pickedUp = "picked_up"
    case inTransit = "in_transit"
    case delivered
    case lost

    package var description: String { self.rawValue }

    /// The state the event moves a shipment to.
    var state: ShipmentState {
        switch self {
        case .pickedUp: .pickedUp
        case .inTransit: .inTransit
        case .delivered: .delivered
        case .lost: .lost
        }
    }

    init?(_ proto: Aftercare_Logistics_V1_CarrierEventKind) {
        switch proto {
        case .pickedUp: self = .pickedUp
        case .inTransit: self = .inTransit
        case .delivered: self = .delivered
        case .lost: self = .lost
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }

    var proto: Aftercare_Logistics_V1_CarrierEventKind {
        switch self {
        case .pickedUp: .pickedUp
        case .inTransit: .inTransit
        case .delivered: .delivered
        case .lost: .lost
        }
    }
}

/// What a shipment is for.
package enum ShipmentKind: String, Sendable, CaseIterable, CustomStringConvertible {
    case outbound
    case `return`
    case replacement
    case backToBuyer = "back_to_buyer"

    package var description: String { self.rawValue }

    /// Shipments that serve an after-sales case must name it.
    var needsCase: Bool { self != .outbound }

    init?(_ proto: Aftercare_Logistics_V1_ShipmentKind) {
        switch proto {
        case .outbound: self = .outbound
        case .return: self = .return
        case .replacement: self = .replacement
        case .backToBuyer: self = .backToBuyer
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }

    var proto: Aftercare_Logistics_V1_ShipmentKind {
        switch self {
        case .outbound: .outbound
        case .return: .return
        case .replacement: .replacement
        case .backToBuyer: .backToBuyer
        }
    }
}
