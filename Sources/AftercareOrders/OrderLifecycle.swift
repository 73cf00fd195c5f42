import AftercareOrdersAPI

/// A move of the order lifecycle: `created → paid → shipped → delivered → completed`, and
/// `cancelled` from created or paid. Pure rules, no I/O.
enum OrderTransition: String, Sendable, CaseIterable {
    case pay, ship, deliver, complete, cancel

    /// What a transition does from a state.
    enum Decision: Equatable, Sendable {
        /// Move to `target`.
        case apply
        /// It already happened (the order is at or past `target`): answer the order unchanged.
        case alreadyDone
        /// Illegal from this state; the message names the state.
        case refuse(String)
    }

    /// The state the transition leads to.
    var target: Aftercare_Orders_V1_OrderStatus {
        switch self {
        case .pay: .paid
        case .ship: .shipped
        case .deliver: .delivered
        case .complete: .completed
        case .cancel: .cancelled
        }
    }

    /// The decision for an order in `current`.
    func decide(from current: Aftercare_Orders_V1_OrderStatus, orderID: String) -> Decision {
        if self == .cancel {
            switch current {
            case .cancelled: return .alreadyDone
            case .created, .paid: return .apply
            default: return .refuse("order \(orderID) is \(current.name); only a created or paid order can be cancelled")
            }
        }
        if current == .cancelled {
            return .refuse("order \(orderID) is cancelled; it cannot be marked \(self.target.name)")
        }
        guard let rank = current.rank, let targetRank = self.target.rank else {
            return .refuse("order \(orderID) is in an unknown state \(current.name)")
        }
        if rank >= targetRank { return .alreadyDone }
        if rank == targetRank - 1 { return .apply }
        let needed = Aftercare_Orders_V1_OrderStatus(rawValue: targetRank - 1).map(\.name) ?? "?"
        return .refuse("order \(orderID) is \(current.name); it must be \(needed) before it can be \(self.target.name)")
    }
}

extension Aftercare_Orders_V1_OrderStatus {
    /// The status stored as `name` (``AftercareOrdersAPI``).
    init?(name: String) {
        guard let status = Self.allCases.first(where: { $0.name == name && $0 != .unspecified }) else { return nil }
        self = status
    }

    /// Position on the forward path (created 1 … completed 5); `nil` for cancelled.
    var rank: Int? {
        switch self {
        case .created, .paid, .shipped, .delivered, .completed: self.rawValue
        default: nil
        }
    }

    /// Whether the order has been paid and not cancelled: refunds and exchanges apply to it.
    var isPaid: Bool { (self.rank ?? 0) >= Self.paid.rawValue }
}
