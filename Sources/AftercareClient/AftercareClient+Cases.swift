public import AftercareAftersalesAPI
public import AftercareGatewayAPI

/// The public API: cases, the buyer's, the seller's and the platform's actions (`aftercare.gateway.v1.Gateway`).
extension AftercareClient {
    /// The buyer applies for a refund-only, a return-and-refund or an exchange on lines of their
    /// order. The gateway reads the order (lines, status, delivery, paid and refundable amounts) and
    /// the buyer's totals over the last 90 days, and hands them to aftersales with the application,
    /// which reviews it at once: the answer shows the decision. Needs an idempotency key.
    /// `Gateway/Apply`. Retried on transient failures with the same key (the options' or one made for this call).
    public func apply(_ request: Aftercare_Gateway_V1_ApplyRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Gateway_V1_CaseView {
        try await self.call(GatewayMethods.apply, request, options, .keyed)
    }

    /// One case with its history, its decision explained, and its sagas (the case's buyer or seller,
    /// platform, operator).
    /// `Gateway/GetCase`. Retried on transient failures.
    public func getCase(_ request: Aftercare_Gateway_V1_GetCaseRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Gateway_V1_CaseView {
        try await self.call(GatewayMethods.getCase, request, options, .safe)
    }

    /// The actor's cases (a buyer's or seller's own; platform and operator name an owner), newest first.
    /// `Gateway/ListCases`. Retried on transient failures.
    public func listCases(_ request: Aftercare_Aftersales_V1_ListCasesRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Aftersales_V1_ListCasesResponse {
        try await self.call(GatewayMethods.listCases, request, options, .safe)
    }

    /// Evidence from the buyer (party BUYER) or the seller (party SELLER), from the actor. In
    /// AWAITING_EVIDENCE the buyer's evidence sends the case back to review with fresh facts, which
    /// the gateway gathers again.
    /// Needs an idempotency key.
    /// `Gateway/AddEvidence`. Retried on transient failures with the same key (the options' or one made for this call).
    public func addEvidence(_ request: Aftercare_Aftersales_V1_AddEvidenceRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Aftersales_V1_CaseResponse {
        try await self.call(GatewayMethods.addEvidence, request, options, .keyed)
    }

    /// Buyer: withdraw the case (or cancel its return before the parcel leaves).
    /// Needs an idempotency key.
    /// `Gateway/Withdraw`. Retried on transient failures with the same key (the options' or one made for this call).
    public func withdraw(_ request: Aftercare_Aftersales_V1_CaseActionRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Aftersales_V1_CaseResponse {
        try await self.call(GatewayMethods.withdraw, request, options, .keyed)
    }

    /// Buyer: accept the standing counter-offer or conversion offer.
    /// Needs an idempotency key.
    /// `Gateway/AcceptOffer`. Retried on transient failures with the same key (the options' or one made for this call).
    public func acceptOffer(_ request: Aftercare_Aftersales_V1_CaseActionRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Aftersales_V1_CaseResponse {
        try await self.call(GatewayMethods.acceptOffer, request, options, .keyed)
    }

    /// Buyer: decline the standing counter-offer or conversion offer.
    /// Needs an idempotency key.
    /// `Gateway/DeclineOffer`. Retried on transient failures with the same key (the options' or one made for this call).
    public func declineOffer(_ request: Aftercare_Aftersales_V1_CaseActionRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Aftersales_V1_CaseResponse {
        try await self.call(GatewayMethods.declineOffer, request, options, .keyed)
    }

    /// Buyer: escalate a refusal or a receipt dispute to the platform.
    /// Needs an idempotency key.
    /// `Gateway/Escalate`. Retried on transient failures with the same key (the options' or one made for this call).
    public func escalate(_ request: Aftercare_Aftersales_V1_CaseActionRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Aftersales_V1_CaseResponse {
        try await self.call(GatewayMethods.escalate, request, options, .keyed)
    }

    /// Buyer: accept the seller's rejection (or the platform's ruling); the case closes.
    /// Needs an idempotency key.
    /// `Gateway/AcceptRejection`. Retried on transient failures with the same key (the options' or one made for this call).
    public func acceptRejection(_ request: Aftercare_Aftersales_V1_CaseActionRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Aftersales_V1_CaseResponse {
        try await self.call(GatewayMethods.acceptRejection, request, options, .keyed)
    }

    /// Buyer: accept the inspection's partial refund.
    /// Needs an idempotency key.
    /// `Gateway/AcceptPartial`. Retried on transient failures with the same key (the options' or one made for this call).
    public func acceptPartial(_ request: Aftercare_Aftersales_V1_CaseActionRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Aftersales_V1_CaseResponse {
        try await self.call(GatewayMethods.acceptPartial, request, options, .keyed)
    }

    /// Seller: approve the case.
    /// Needs an idempotency key.
    /// `Gateway/Approve`. Retried on transient failures with the same key (the options' or one made for this call).
    public func approve(_ request: Aftercare_Aftersales_V1_CaseActionRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Aftersales_V1_CaseResponse {
        try await self.call(GatewayMethods.approve, request, options, .keyed)
    }

    /// Seller: reject the case, with a reason.
    /// Needs an idempotency key.
    /// `Gateway/Reject`. Retried on transient failures with the same key (the options' or one made for this call).
    public func reject(_ request: Aftercare_Aftersales_V1_RejectRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Aftersales_V1_CaseResponse {
        try await self.call(GatewayMethods.reject, request, options, .keyed)
    }

    /// Seller: offer a partial refund instead.
    /// Needs an idempotency key.
    /// `Gateway/CounterOffer`. Retried on transient failures with the same key (the options' or one made for this call).
    public func counterOffer(_ request: Aftercare_Aftersales_V1_CounterOfferRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Aftersales_V1_CaseResponse {
        try await self.call(GatewayMethods.counterOffer, request, options, .keyed)
    }

    /// Seller: the returned parcel arrived.
    /// Needs an idempotency key.
    /// `Gateway/ConfirmReceipt`. Retried on transient failures with the same key (the options' or one made for this call).
    public func confirmReceipt(_ request: Aftercare_Aftersales_V1_CaseActionRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Aftersales_V1_CaseResponse {
        try await self.call(GatewayMethods.confirmReceipt, request, options, .keyed)
    }

    /// Seller: what the inspection of the returned lines found (accepted, damaged, missing per line).
    /// Needs an idempotency key.
    /// `Gateway/Inspect`. Retried on transient failures with the same key (the options' or one made for this call).
    public func inspect(_ request: Aftercare_Aftersales_V1_InspectRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Aftersales_V1_CaseResponse {
        try await self.call(GatewayMethods.inspect, request, options, .keyed)
    }

    /// Seller: the return is not what was sent (wrong or missing items), with evidence.
    /// Needs an idempotency key.
    /// `Gateway/DisputeReceipt`. Retried on transient failures with the same key (the options' or one made for this call).
    public func disputeReceipt(_ request: Aftercare_Aftersales_V1_DisputeReceiptRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Aftersales_V1_CaseResponse {
        try await self.call(GatewayMethods.disputeReceipt, request, options, .keyed)
    }

    /// Platform: ask a party for more evidence on an escalated case.
    /// Needs an idempotency key.
    /// `Gateway/RequestEvidence`. Retried on transient failures with the same key (the options' or one made for this call).
    public func requestEvidence(_ request: Aftercare_Aftersales_V1_RequestEvidenceRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Aftersales_V1_CaseResponse {
        try await self.call(GatewayMethods.requestEvidence, request, options, .keyed)
    }

    /// Platform: rule an escalated case for the buyer.
    /// Needs an idempotency key.
    /// `Gateway/RuleForBuyer`. Retried on transient failures with the same key (the options' or one made for this call).
    public func ruleForBuyer(_ request: Aftercare_Aftersales_V1_RuleForBuyerRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Aftersales_V1_CaseResponse {
        try await self.call(GatewayMethods.ruleForBuyer, request, options, .keyed)
    }

    /// Platform: rule an escalated case for the seller.
    /// Needs an idempotency key.
    /// `Gateway/RuleForSeller`. Retried on transient failures with the same key (the options' or one made for this call).
    public func ruleForSeller(_ request: Aftercare_Aftersales_V1_CaseActionRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Aftersales_V1_CaseResponse {
        try await self.call(GatewayMethods.ruleForSeller, request, options, .keyed)
    }
}
