/// A named predicate over ``CaseFacts`` that a transition requires. Every guard of a row must hold.
package enum CaseGuard: String, Codable, Sendable, CaseIterable, Hashable {
    case policyApprove = "policy_approve"
    case policyNeedsEvidence = "policy_needs_evidence"
    case policySellerReview = "policy_seller_review"
    case policyIneligible = "policy_ineligible"
    case sellerMayRefuse = "seller_may_refuse"
    case reasonCodeAndEvidence = "reason_code_and_evidence"
    case offerIsAmount = "offer_is_amount"
    case offerIsReturnRequired = "offer_is_return_required"
    case escalationNotUsed = "escalation_not_used"
    case somethingAccepted = "something_accepted"
    case nothingAccepted = "nothing_accepted"
    case actionHasEvidence = "action_has_evidence"
    case cancelledByBuyer = "cancelled_by_buyer"
    case cancelledByTimer = "cancelled_by_timer"
    case goodsWithBuyer = "goods_with_buyer"
    case goodsCameBack = "goods_came_back"
    case onReturnShipment = "on_return_shipment"
    case onReplacementShipment = "on_replacement_shipment"
    case onBackToBuyerShipment = "on_back_to_buyer_shipment"

    /// Whether the guard holds for these facts.
    package func holds(_ facts: CaseFacts) -> Bool {
        switch self {
        case .policyApprove: facts.reviewOutcome == .approve
        case .policyNeedsEvidence: facts.reviewOutcome == .needsEvidence
        case .policySellerReview: facts.reviewOutcome == .sellerReview
        case .policyIneligible: facts.reviewOutcome == .ineligible
        case .sellerMayRefuse: facts.sellerMayRefuse
        case .reasonCodeAndEvidence: facts.hasReasonCode && facts.actionEvidenceCount > 0
        case .offerIsAmount: facts.offer == .amount
        case .offerIsReturnRequired: facts.offer == .returnRequired
        case .escalationNotUsed: !facts.escalationUsed
        case .somethingAccepted: facts.somethingAccepted
        case .nothingAccepted: !facts.somethingAccepted
        case .actionHasEvidence: facts.actionEvidenceCount > 0
        case .cancelledByBuyer: facts.cancellation == .buyerWithdrew
        case .cancelledByTimer: facts.cancellation == .shipByExpired
        case .goodsWithBuyer: facts.goodsWithBuyer
        case .goodsCameBack: !facts.goodsWithBuyer
        case .onReturnShipment: facts.shipment == .return
        case .onReplacementShipment: facts.shipment == .replacement
        case .onBackToBuyerShipment: facts.shipment == .backToBuyer
        }
    }

    /// What the guard requires, in words (refusals and the generated document).
    package var meaning: String {
        switch self {
        case .policyApprove: "the review policy decides: approve"
        case .policyNeedsEvidence: "the review policy decides: needs evidence"
        case .policySellerReview: "the review policy decides: seller review"
        case .policyIneligible: "the review policy decides: ineligible"
        case .sellerMayRefuse: "the decision lets the seller refuse (not an unshipped order, not a no-reason return in its window)"
        case .reasonCodeAndEvidence: "the refusal carries a reason code and at least one evidence item"
        case .offerIsAmount: "the offer is an amount"
        case .offerIsReturnRequired: "the offer is \"return required\""
        case .escalationNotUsed: "the buyer has not escalated this case before"
        case .somethingAccepted: "the inspection accepts at least one unit"
        case .nothingAccepted: "the inspection accepts no unit"
        case .actionHasEvidence: "the action carries at least one evidence item"
        case .cancelledByBuyer: "the buyer's withdrawal started the cancellation"
        case .cancelledByTimer: "T_ship firing started the cancellation"
        case .goodsWithBuyer: "the goods are still with the buyer"
        case .goodsCameBack: "the goods came back to the seller"
        case .onReturnShipment: "the carrier event is about the return shipment"
        case .onReplacementShipment: "the carrier event is about the replacement shipment"
        case .onBackToBuyerShipment: "the carrier event is about the back-to-buyer shipment"
        }
    }
}
