import AftercareOrdersAPI

/// A move of the order lifecycle: `created → paid → shipped → delivered → completed`; `cancelled`
/// from created; and a paid order's cancellation, `paid → cancelling → cancelled`, or back to
/// `paid` when its refund is refused. Pure rules, no I/O.
enum OrderTransition: String, Sendable, CaseIterable {
    case pay, ship, deliver, complete, cancel, requestCancellation, finishCancellation, abandonCancellation

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
        case .pay, .abandonCancellation: .paid
        case .ship: .shipped
        case .deliver: .delivered
        case .complete: .completed
        case .cancel, .finishCancellation: .cancelled
        case .requestCancellation: .cancelling
        }
    }

    /// The decision for an order in `current`.
    func decide(from current: Aftercare_Orders_V1_OrderStatus, orderID: String) -> Decision {
        switch (self, current) {
        case (.cancel, .cancelled), (.requestCancellation, .cancelling), (.requestCancellation, .cancelled), (.finishCancellation, .cancelled),
            (.abandonCancellation, .paid):
            return .alreadyDone
        case (.cancel, .created), (.requestCancellation, .paid), (.finishCancellation, .cancelling), (.abandonCancellation, .cancelling):
            return .apply
        case (.cancel, .paid):
            return .refuse("order \(orderID) is paid; a paid order is cancelled through RequestCancellation, which refunds its payment")
        case (.cancel, _):
            return .refuse("order \(orderID) is \(current.name); only a created order can be cancelled at once")
        case (.requestCancellation, _):
            return .refuse("order \(orderID) is \(current.name); only a paid order, not yet shipped, can be cancelled and refunded")
        case (.finishCancellation, _), (.abandonCancellation, _):
            return .refuse("order \(orderID) is \(current.name), not cancelling")
        case (_, .cancelled), (_, .cancelling):
            return .refuse("order \(orderID) is \(current.name); it cannot be marked \(self.target.name)")
        default:
            break
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

    /// Position on the forward path (created 1 … completed 5); `nil` for cancelled and cancelling.
    var rank: Int? {
        switch self {
        case .created, .paid, .shipped, .delivered, .completed: self.rawValue
        default: nil
        }
    }

    /// Whether the order has been paid and not cancelled: refunds and exchanges apply to it.
    var isPaid: Bool { (self.rank ?? 0) >= Self.paid.rawValue }
}
