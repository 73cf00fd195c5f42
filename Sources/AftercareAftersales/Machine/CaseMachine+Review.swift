extension CaseMachine {
    /// The review part every kind shares (docs/machines.md, "Review, common to the three kinds"),
    /// with the rows that only some kinds have (counter-offers and their acceptance).
    ///
    /// One addition to the specification's text: a case that goes back to PENDING_SELLER after a
    /// declined offer starts `T_seller` again, so the seller's answer always has a deadline.
    static func reviewRules(for kind: CaseKind) -> [CaseTransitionRule] {
        var rules: [CaseTransitionRule] = [
            .init(.requested, .evaluate, [.policyApprove], [.recordDecision], .approved),
            .init(.requested, .evaluate, [.policyNeedsEvidence], [.recordDecision, .startTimer(.evidence)], .awaitingEvidence),
            .init(.requested, .evaluate, [.policySellerReview], [.recordDecision, .startTimer(.seller)], .pendingSeller),
            .init(.requested, .evaluate, [.policyIneligible], [.recordDecision], .closedRejected),
            .init(.awaitingEvidence, .buyerAddEvidence, [], [.evaluateAgain], .requested),
            .init(.awaitingEvidence, .evidenceTimerFired, [], [], .closedWithdrawn),
        ]
        rules += CaseTransitionRule.on(.pendingSeller, [.sellerApprove, .sellerTimerFired], [], [], .approved)
        rules.append(
            .init(.pendingSeller, .sellerReject, [.sellerMayRefuse, .reasonCodeAndEvidence], [.startTimer(.escalate)], .rejected))
        if kind.allowsAmountOffer {
            rules.append(.init(.pendingSeller, .sellerCounterOffer, [.offerIsAmount], [.recordOffer, .startTimer(.offer)], .negotiating))
        }
        if kind == .refundOnly {
            rules.append(
                .init(.pendingSeller, .sellerCounterOffer, [.offerIsReturnRequired], [.recordOffer, .startTimer(.offer)], .negotiating))
        }
        switch kind {
        case .refundOnly:
            rules += [
                .init(.negotiating, .buyerAccept, [.offerIsAmount], [.setAmount(.counterOffer)], .approved),
                .init(.negotiating, .buyerAccept, [.offerIsReturnRequired], [.openLinkedCase(.returnAndRefund)], .converted),
            ]
        case .returnAndRefund:
            rules.append(.init(.negotiating, .buyerAccept, [.offerIsAmount], [.setAmount(.counterOffer)], .refundApproved))
        case .exchange:
            break
        }
        if kind.allowsAmountOffer {
            rules += CaseTransitionRule.on(.negotiating, [.buyerDecline, .offerTimerFired], [], [.startTimer(.seller)], .pendingSeller)
        }
        rules += [
            .init(.rejected, .buyerEscalate, [.escalationNotUsed], [.useEscalation], .escalated),
        ]
        rules += CaseTransitionRule.on(.rejected, [.buyerAcceptRejection, .escalateTimerFired], [], [], .closedRejected)
        rules += [
            .init(.escalated, .platformRequestEvidence, [], [.recordEvidenceRequest, .startTimer(.arbiter)], .escalated),
            .init(.escalated, .arbiterTimerFired, [], [.closeEvidenceWindow], .escalated),
            .init(.escalated, .platformRuleForBuyer, [], [.setAmount(.ruling)], .approved),
            .init(.escalated, .platformRuleForSeller, [], [], .closedRejected),
        ]
        var withdrawable: [CaseState] = [.requested, .awaitingEvidence, .pendingSeller]
        if kind.allowsAmountOffer { withdrawable.append(.negotiating) }
        withdrawable.append(.rejected)
        rules += CaseTransitionRule.from(withdrawable, .buyerWithdraw, [], [], .closedWithdrawn)
        return rules
    }

    /// The terminal states of the review part.
    static let reviewTerminalStates: Set<CaseState> = [.closedRejected, .closedWithdrawn]
}
