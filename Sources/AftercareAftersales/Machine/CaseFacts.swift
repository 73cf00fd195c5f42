/// What the guards of a transition look at: the case as stored plus the arguments of the event
/// being applied. The service fills in what it knows; fields a guard does not read are ignored.
package struct CaseFacts: Codable, Sendable, Hashable {
    /// How a counter-offer asks the buyer to settle.
    package enum Offer: String, Codable, Sendable, Hashable {
        /// A different amount (refund-only, return-and-refund).
        case amount
        /// Return the goods instead (refund-only).
        case returnRequired = "return_required"
    }

    /// What sent a return into cancellation.
    package enum Cancellation: String, Codable, Sendable, Hashable {
        /// `buyer.withdraw`: the case closes withdrawn.
        case buyerWithdrew = "buyer_withdrew"
        /// `T_ship fired`: the case closes expired.
        case shipByExpired = "ship_by_expired"
    }

    /// The shipment a carrier event is about.
    package enum Shipment: String, Codable, Sendable, Hashable {
        case `return`
        case replacement
        case backToBuyer = "back_to_buyer"
    }

    /// The outcome of the review decision being applied (`evaluate`).
    package var reviewOutcome: ReviewOutcome?
    /// Whether the case's decision lets the seller refuse (false for an unshipped order or a
    /// no-reason return in its window).
    package var sellerMayRefuse: Bool
    /// Whether the action carries a reason code (a seller's refusal).
    package var hasReasonCode: Bool
    /// How many evidence items the action carries (a refusal, a receipt dispute).
    package var actionEvidenceCount: Int
    /// The counter-offer made (`seller.counter_offer`) or standing (`buyer.accept` in NEGOTIATING).
    package var offer: Offer?
    /// Whether the buyer has already escalated this case once.
    package var escalationUsed: Bool
    /// Whether the inspection accepts at least one unit: the action's own inspection, else the one recorded.
    package var somethingAccepted: Bool
    /// What started the return's cancellation, recorded on entering RETURN_CANCELLING.
    package var cancellation: Cancellation?
    /// Whether the goods are still with the buyer (an exchange whose return never came back).
    package var goodsWithBuyer: Bool
    /// The shipment a carrier event is about.
    package var shipment: Shipment?

    /// Facts with every flag at its most restrictive value, to fill in per event.
    package init(
        reviewOutcome: ReviewOutcome? = nil,
        sellerMayRefuse: Bool = true,
        hasReasonCode: Bool = false,
        actionEvidenceCount: Int = 0,
        offer: Offer? = nil,
        escalationUsed: Bool = false,
        somethingAccepted: Bool = false,
        cancellation: Cancellation? = nil,
        goodsWithBuyer: Bool = false,
        shipment: Shipment? = nil
    ) {
        self.reviewOutcome = reviewOutcome
        self.sellerMayRefuse = sellerMayRefuse
        self.hasReasonCode = hasReasonCode
        self.actionEvidenceCount = actionEvidenceCount
        self.offer = offer
        self.escalationUsed = escalationUsed
        self.somethingAccepted = somethingAccepted
        self.cancellation = cancellation
        self.goodsWithBuyer = goodsWithBuyer
        self.shipment = shipment
    }
}
