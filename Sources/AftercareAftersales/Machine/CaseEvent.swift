package import AftercareAftersalesAPI

/// Everything that can happen to a case: the review's evaluation, an actor's action
/// (`actor.action`), a saga's recording (`saga <Saga>: <outcome>`) or a timer's firing. The raw
/// value is the name the case history and the generated document use. An event's arguments
/// (amounts, reason codes, inspection results) travel in ``CaseFacts``.
package enum CaseEvent: String, Codable, Sendable, CaseIterable, Hashable {
    case evaluate = "evaluate"

    case buyerAddEvidence = "buyer.add_evidence"
    case buyerWithdraw = "buyer.withdraw"
    case buyerAccept = "buyer.accept"
    case buyerDecline = "buyer.decline"
    case buyerEscalate = "buyer.escalate"
    case buyerAcceptRejection = "buyer.accept_rejection"
    case buyerAcceptPartial = "buyer.accept_partial"

    case sellerApprove = "seller.approve"
    case sellerReject = "seller.reject"
    case sellerCounterOffer = "seller.counter_offer"
    case sellerConfirmReceipt = "seller.confirm_receipt"
    case sellerInspect = "seller.inspect"
    case sellerDisputeReceipt = "seller.dispute_receipt"

    case platformRequestEvidence = "platform.request_evidence"
    case platformRuleForBuyer = "platform.rule_for_buyer"
    case platformRuleForSeller = "platform.rule_for_seller"

    case operatorRetry = "operator.retry"
    case operatorManualPayout = "operator.manual_payout"
    case operatorClose = "operator.close"

    case sellerTimerFired = "T_seller fired"
    case evidenceTimerFired = "T_evidence fired"
    case offerTimerFired = "T_offer fired"
    case escalateTimerFired = "T_escalate fired"
    case arbiterTimerFired = "T_arbiter fired"
    case shipTimerFired = "T_ship fired"
    case confirmTimerFired = "T_confirm fired"
    case inspectTimerFired = "T_inspect fired"

    case refundRefunding = "saga Refund: refunding"
    case refundRefunded = "saga Refund: refunded"
    case refundFailed = "saga Refund: refund failed"
    case returnSetupAwaitingReturn = "saga Return setup: awaiting return"
    case returnSetupNothingRefundable = "saga Return setup: nothing refundable"
    case returnSetupOutOfStock = "saga Return setup: replacement out of stock"
    case returnCancellationClosed = "saga Return cancellation: closed"
    case returnCancellationAlreadyPickedUp = "saga Return cancellation: already picked up"
    case carrierPickedUp = "saga Carrier progress: picked up"
    case carrierDelivered = "saga Carrier progress: delivered"
    case carrierLost = "saga Carrier progress: lost"
    /// Any other carrier event: in-transit scans, label events, exceptions.
    case carrierOther = "saga Carrier progress: other"
    case returnToBuyerShipmentCreated = "saga Return to buyer: shipment created"
    case exchangeReplacementShipped = "saga Exchange fulfilment: replacement shipped"
    case exchangeOutOfStock = "saga Exchange fulfilment: out of stock"

    /// Who or what makes the event happen.
    package enum Source: Hashable, Sendable {
        /// The review policy's automatic evaluation.
        case review
        /// A party's action: `buyer`, `seller`, `platform` or `operator`.
        case actor(String)
        /// A recording step of the gateway's saga.
        case saga(CaseSaga)
        /// A durable timer of the case.
        case timer(CaseTimer)
    }

    /// Who or what makes the event happen, read from its name.
    package var source: Source {
        if self == .evaluate { return .review }
        if let timer = CaseTimer.allCases.first(where: { self.rawValue == "\($0.rawValue) fired" }) {
            return .timer(timer)
        }
        if self.rawValue.hasPrefix("saga "),
            let saga = CaseSaga.allCases.first(where: { self.rawValue.hasPrefix("saga \($0.rawValue): ") })
        {
            return .saga(saga)
        }
        return .actor(String(self.rawValue.prefix { $0 != "." }))
    }

    /// The event a timer's firing is.
    package static func fired(_ timer: CaseTimer) -> CaseEvent {
        CaseEvent(rawValue: "\(timer.rawValue) fired")!
    }

    /// Whether it is a carrier event, which a case never refuses (unless closed): one that moves no
    /// state is kept in the case history only (docs/sagas.md, "Carrier progress").
    package var isCarrierProgress: Bool { self.source == .saga(.carrierProgress) }
}
