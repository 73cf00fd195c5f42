/// The review of an order line as data (docs/machines.md, "Review of an order line"): the main
/// state, and beside it the seller's reply, the buyer's follow-up and the seller's appeal. Every
/// change of a review goes through ``ReviewMachine/apply(_:to:)``; the table below is the only
/// place the legal moves are written.
package enum ReviewState: String, Sendable, CaseIterable, CustomStringConvertible {
    case eligible
    case published
    case expired
    case removed

    package var description: String { self.rawValue }

    /// No event leaves a final state.
    package var isFinal: Bool { self == .expired || self == .removed }
}

/// The seller's one reply.
package enum ReplyState: String, Sendable, CaseIterable, CustomStringConvertible {
    case none
    case replied
    package var description: String { self.rawValue }
}

/// The buyer's one follow-up comment.
package enum FollowUpState: String, Sendable, CaseIterable, CustomStringConvertible {
    case none
    case added
    package var description: String { self.rawValue }
}

/// The seller's one appeal and the platform's ruling.
package enum AppealState: String, Sendable, CaseIterable, CustomStringConvertible {
    case none
    case appealed
    case upheld
    case overturned
    package var description: String { self.rawValue }
}

/// Where a review stands: its state and its three side records.
package struct ReviewStatus: Sendable, Hashable, CustomStringConvertible {
    package var review: ReviewState
    package var reply: ReplyState
    package var followUp: FollowUpState
    package var appeal: AppealState

    package init(_ review: ReviewState, reply: ReplyState = .none, followUp: FollowUpState = .none, appeal: AppealState = .none) {
        self.review = review
        self.reply = reply
        self.followUp = followUp
        self.appeal = appeal
    }

    package var description: String {
        "\(self.review) (reply \(self.reply), follow-up \(self.followUp), appeal \(self.appeal))"
    }
}

/// What happens to a review: the gateway's facts, the actors' actions, the timer.
package enum ReviewEvent: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The gateway tells: a case opened on the line (pauses T_review).
    case caseOpened = "gateway.case_opened"
    /// The gateway tells: the last open case on the line closed (resumes T_review).
    case lastCaseClosed = "gateway.last_case_closed"
    case submit = "buyer.submit"
    case timerFired = "T_review.fired"
    case followUp = "buyer.follow_up"
    case reply = "seller.reply"
    case appeal = "seller.appeal"
    case uphold = "platform.uphold"
    case overturn = "platform.overturn"
    case delete = "buyer.delete"

    package var description: String { self.rawValue }
}

/// One legal move: `event` in main state `from` (and, for a side record, in its `side.from`) leads
/// to main state `to` (and `side.to`).
package struct ReviewTransition: Sendable, Hashable {
    /// A move of one side record.
    package enum Side: Sendable, Hashable {
        case reply(ReplyState, ReplyState)
        case followUp(FollowUpState, FollowUpState)
        case appeal(AppealState, AppealState)
    }

    package var event: ReviewEvent
    package var from: ReviewState
    package var to: ReviewState
    package var side: Side?

    package init(_ event: ReviewEvent, _ from: ReviewState, _ to: ReviewState, side: Side? = nil) {
        self.event = event
        self.from = from
        self.to = to
        self.side = side
    }

    /// Whether this move starts from `status`.
    func applies(to status: ReviewStatus) -> Bool {
        guard status.review == self.from else { return false }
        switch self.side {
        case nil: return true
        case .reply(let from, _)?: return status.reply == from
        case .followUp(let from, _)?: return status.followUp == from
        case .appeal(let from, _)?: return status.appeal == from
        }
    }

    /// `status` after this move.
    func applied(to status: ReviewStatus) -> ReviewStatus {
        var next = status
        next.review = self.to
        switch self.side {
        case nil: break
        case .reply(_, let to)?: next.reply = to
        case .followUp(_, let to)?: next.followUp = to
        case .appeal(_, let to)?: next.appeal = to
        }
        return next
    }
}

/// A move the machine does not have: names the event and the state that forbids it.
package struct ReviewMachineError: Error, Sendable, Hashable, CustomStringConvertible {
    package var event: ReviewEvent
    package var status: ReviewStatus

    package var description: String { "\(self.event) is not allowed when the review is \(self.status)" }
}

/// The review machine.
package enum ReviewMachine {
    /// Every legal move. Guards that are not states (the comment a low rating needs, the 90-day
    /// follow-up window, who the actor is) are checked by the handlers before applying.
    package static let transitions: [ReviewTransition] = [
        ReviewTransition(.caseOpened, .eligible, .eligible),
        ReviewTransition(.lastCaseClosed, .eligible, .eligible),
        ReviewTransition(.submit, .eligible, .published),
        ReviewTransition(.timerFired, .eligible, .expired),
        ReviewTransition(.followUp, .published, .published, side: .followUp(.none, .added)),
        ReviewTransition(.reply, .published, .published, side: .reply(.none, .replied)),
        ReviewTransition(.appeal, .published, .published, side: .appeal(.none, .appealed)),
        ReviewTransition(.uphold, .published, .published, side: .appeal(.appealed, .upheld)),
        ReviewTransition(.overturn, .published, .published, side: .appeal(.appealed, .overturned)),
        ReviewTransition(.delete, .published, .removed),
    ]

    /// The status after `event`, or ``ReviewMachineError`` when the machine has no such move.
    package static func apply(_ event: ReviewEvent, to status: ReviewStatus) throws(ReviewMachineError) -> ReviewStatus {
        guard let move = self.transitions.first(where: { $0.event == event && $0.applies(to: status) }) else {
            throw ReviewMachineError(event: event, status: status)
        }
        return move.applied(to: status)
    }
}
