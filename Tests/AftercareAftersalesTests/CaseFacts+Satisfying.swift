@testable import AftercareAftersales

extension CaseFacts {
    /// Facts under which every guard of the list holds (and the default, restrictive values
    /// elsewhere): the arguments a test gives an event to take one particular row.
    static func satisfying(_ guards: [CaseGuard]) -> CaseFacts {
        var facts = CaseFacts()
        for caseGuard in guards {
            switch caseGuard {
            case .policyApprove: facts.reviewOutcome = .approve
            case .policyNeedsEvidence: facts.reviewOutcome = .needsEvidence
            case .policySellerReview: facts.reviewOutcome = .sellerReview
            case .policyIneligible: facts.reviewOutcome = .ineligible
            case .sellerMayRefuse: facts.sellerMayRefuse = true
            case .reasonCodeAndEvidence:
                facts.hasReasonCode = true
                facts.actionEvidenceCount = 1
            case .offerIsAmount: facts.offer = .amount
            case .offerIsReturnRequired: facts.offer = .returnRequired
            case .escalationNotUsed: facts.escalationUsed = false
            case .somethingAccepted: facts.somethingAccepted = true
            case .nothingAccepted: facts.somethingAccepted = false
            case .actionHasEvidence: facts.actionEvidenceCount = 1
            case .cancelledByBuyer: facts.cancellation = .buyerWithdrew
            case .cancelledByTimer: facts.cancellation = .shipByExpired
            case .goodsWithBuyer: facts.goodsWithBuyer = true
            case .goodsCameBack: facts.goodsWithBuyer = false
            case .onReturnShipment: facts.shipment = .return
            case .onReplacementShipment: facts.shipment = .replacement
            case .onBackToBuyerShipment: facts.shipment = .backToBuyer
            }
        }
        return facts
    }

    /// Facts under which every guard holds that can hold together with the others: for tests
    /// that must find a closed state refusing even the most permissive event.
    static let permissive = CaseFacts(
        reviewOutcome: .approve, sellerMayRefuse: true, hasReasonCode: true, actionEvidenceCount: 3, offer: .amount,
        escalationUsed: false, somethingAccepted: true, cancellation: .buyerWithdrew, goodsWithBuyer: true,
        shipment: .return)
}

extension CaseFacts {
    /// These facts with one guard made false.
    func violating(_ caseGuard: CaseGuard) -> CaseFacts {
        var facts = self
        switch caseGuard {
        case .policyApprove, .policyNeedsEvidence, .policySellerReview, .policyIneligible: facts.reviewOutcome = nil
        case .sellerMayRefuse: facts.sellerMayRefuse = false
        case .reasonCodeAndEvidence: facts.hasReasonCode = false
        case .offerIsAmount: if facts.offer == .amount { facts.offer = nil }
        case .offerIsReturnRequired: if facts.offer == .returnRequired { facts.offer = nil }
        case .escalationNotUsed: facts.escalationUsed = true
        case .somethingAccepted: facts.somethingAccepted = false
        case .nothingAccepted: facts.somethingAccepted = true
        case .actionHasEvidence: facts.actionEvidenceCount = 0
        case .cancelledByBuyer, .cancelledByTimer: facts.cancellation = nil
        case .goodsWithBuyer: facts.goodsWithBuyer = false
        case .goodsCameBack: facts.goodsWithBuyer = true
        case .onReturnShipment, .onReplacementShipment, .onBackToBuyerShipment: facts.shipment = nil
        }
        return facts
    }
}
