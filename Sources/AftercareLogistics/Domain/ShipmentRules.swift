/// The state rules of a shipment, pure: what a carrier event does to a state, and which of the
/// service's own actions a state allows. Tested without I/O.
package enum ShipmentRules {
    /// What a carrier event does.
    package enum Effect: String, Sendable, Hashable {
        /// The shipment moves to the event's state.
        case advanced
        /// A delivery (or loss) before the pick-up: the pick-up is implied, the shipment moves on.
        case advancedPickUpImplied = "advanced_pick_up_implied"
        /// Kept in the history only; the state stays.
        case historyOnly = "history_only"
    }

    /// The outcome of a carrier event on a shipment in some state.
    package struct Outcome: Sendable, Hashable {
        package var effect: Effect
        /// The state after the event (unchanged when history only).
        package var state: ShipmentState
        /// Why the event is history only, implied a pick-up or ended a loss, for people; empty otherwise.
        package var note: String
    }

    /// What a carrier event of `kind` does to a shipment in `state`. The state never goes
    /// backwards: an event older than the current state, one that repeats it (another in-transit
    /// scan) and any event after the shipment ended are kept in the history only. The one way out
    /// of an end state: a delivery after a loss — the parcel was found and reached its recipient
    /// (the seller holds the returned goods), so `delivered` wins over `lost` in either arrival
    /// order.
    package static func apply(_ kind: CarrierEventKind, to state: ShipmentState) -> Outcome {
        let target = kind.state
        if state == .lost && kind == .delivered {
            return Outcome(effect: .advanced, state: .delivered, note: "delivered after being reported lost: the parcel was found")
        }
        if state.isFinal {
            if state == target {
                return Outcome(effect: .historyOnly, state: state, note: "repeats the current state \(state)")
            }
            if let current = state.progress, let reported = target.progress, reported < current {
                return Outcome(effect: .historyOnly, state: state, note: "older than the current state \(state)")
            }
            return Outcome(effect: .historyOnly, state: state, note: "the shipment already ended as \(state)")
        }
        // label_created, picked_up or in_transit: every one has a place on the line.
        let current = state.progress ?? 0
        if let reported = target.progress {
            if reported < current {
                return Outcome(effect: .historyOnly, state: state, note: "older than the current state \(state)")
            }
            if reported == current {
                return Outcome(effect: .historyOnly, state: state, note: "repeats the current state \(state)")
            }
        }
        if state == .labelCreated && kind != .pickedUp {
            return Outcome(effect: .advancedPickUpImplied, state: target, note: "\(kind) before any pick-up: the pick-up is implied")
        }
        return Outcome(effect: .advanced, state: target, note: "")
    }

    /// The carrier event the simulator produces next for a shipment in `state`, or `nil` when the
    /// shipment is final.
    package static func next(after state: ShipmentState) -> CarrierEventKind? {
        switch state {
        case .labelCreated: .pickedUp
        case .pickedUp: .inTransit
        case .inTransit: .delivered
        case .delivered, .cancelled, .lost: nil
        }
    }

    /// Whether a shipment in `state` may be cancelled: only before the carrier reported a pick-up.
    /// A shipment already cancelled is answered as it is.
    package static func canCancel(_ state: ShipmentState) -> Bool {
        state == .labelCreated || state == .cancelled
    }
}
