public import AftercareRPC

/// The methods of `aftercare.aftersales.v1.Aftersales`, for clients (the gateway) that do not see the
/// aftersales domain. `proto-spec/aftersales.proto` documents each.
public enum AftersalesMethods {
    public static let openCase = MethodDescriptor<Aftercare_Aftersales_V1_OpenCaseRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/OpenCase")
    public static let getCase = MethodDescriptor<Aftercare_Aftersales_V1_GetCaseRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/GetCase")
    public static let listCases = MethodDescriptor<Aftercare_Aftersales_V1_ListCasesRequest, Aftercare_Aftersales_V1_ListCasesResponse>(
        "aftercare.aftersales.v1.Aftersales/ListCases")
    public static let addEvidence = MethodDescriptor<Aftercare_Aftersales_V1_AddEvidenceRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/AddEvidence")
    public static let withdraw = MethodDescriptor<Aftercare_Aftersales_V1_CaseActionRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/Withdraw")
    public static let acceptOffer = MethodDescriptor<Aftercare_Aftersales_V1_CaseActionRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/AcceptOffer")
    public static let declineOffer = MethodDescriptor<Aftercare_Aftersales_V1_CaseActionRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/DeclineOffer")
    public static let escalate = MethodDescriptor<Aftercare_Aftersales_V1_CaseActionRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/Escalate")
    public static let acceptRejection = MethodDescriptor<Aftercare_Aftersales_V1_CaseActionRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/AcceptRejection")
    public static let acceptPartial = MethodDescriptor<Aftercare_Aftersales_V1_CaseActionRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/AcceptPartial")
    public static let approve = MethodDescriptor<Aftercare_Aftersales_V1_CaseActionRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/Approve")
    public static let reject = MethodDescriptor<Aftercare_Aftersales_V1_RejectRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/Reject")
    public static let counterOffer = MethodDescriptor<Aftercare_Aftersales_V1_CounterOfferRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/CounterOffer")
    public static let confirmReceipt = MethodDescriptor<Aftercare_Aftersales_V1_CaseActionRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/ConfirmReceipt")
    public static let inspect = MethodDescriptor<Aftercare_Aftersales_V1_InspectRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/Inspect")
    public static let disputeReceipt = MethodDescriptor<Aftercare_Aftersales_V1_DisputeReceiptRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/DisputeReceipt")
    public static let requestEvidence = MethodDescriptor<Aftercare_Aftersales_V1_RequestEvidenceRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/RequestEvidence")
    public static let ruleForBuyer = MethodDescriptor<Aftercare_Aftersales_V1_RuleForBuyerRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/RuleForBuyer")
    public static let ruleForSeller = MethodDescriptor<Aftercare_Aftersales_V1_CaseActionRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/RuleForSeller")
    public static let retryRefund = MethodDescriptor<Aftercare_Aftersales_V1_CaseActionRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/RetryRefund")
    public static let recordManualPayout = MethodDescriptor<Aftercare_Aftersales_V1_ManualPayoutRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/RecordManualPayout")
    public static let closeCase = MethodDescriptor<Aftercare_Aftersales_V1_CaseActionRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/CloseCase")
    public static let recordRefunding = MethodDescriptor<Aftercare_Aftersales_V1_RecordSagaOutcomeRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/RecordRefunding")
    public static let recordRefunded = MethodDescriptor<Aftercare_Aftersales_V1_RecordRefundedRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/RecordRefunded")
    public static let recordRefundFailed = MethodDescriptor<Aftercare_Aftersales_V1_RecordSagaOutcomeRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/RecordRefundFailed")
    public static let recordAwaitingReturn = MethodDescriptor<Aftercare_Aftersales_V1_RecordShipmentRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/RecordAwaitingReturn")
    public static let recordNothingRefundable = MethodDescriptor<Aftercare_Aftersales_V1_RecordSagaOutcomeRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/RecordNothingRefundable")
    public static let recordReplacementOutOfStock = MethodDescriptor<Aftercare_Aftersales_V1_RecordSagaOutcomeRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/RecordReplacementOutOfStock")
    public static let recordReturnCancelled = MethodDescriptor<Aftercare_Aftersales_V1_RecordSagaOutcomeRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/RecordReturnCancelled")
    public static let recordAlreadyPickedUp = MethodDescriptor<Aftercare_Aftersales_V1_RecordSagaOutcomeRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/RecordAlreadyPickedUp")
    public static let recordCarrierEvent = MethodDescriptor<Aftercare_Aftersales_V1_RecordCarrierEventRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/RecordCarrierEvent")
    public static let recordReturnToBuyerShipment = MethodDescriptor<Aftercare_Aftersales_V1_RecordShipmentRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/RecordReturnToBuyerShipment")
    public static let recordReplacementShipped = MethodDescriptor<Aftercare_Aftersales_V1_RecordShipmentRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/RecordReplacementShipped")
    public static let recordExchangeOutOfStock = MethodDescriptor<Aftercare_Aftersales_V1_RecordSagaOutcomeRequest, Aftercare_Aftersales_V1_CaseResponse>(
        "aftercare.aftersales.v1.Aftersales/RecordExchangeOutOfStock")
    public static let explainDecision = MethodDescriptor<Aftercare_Aftersales_V1_ExplainDecisionRequest, Aftercare_Aftersales_V1_Decision>(
        "aftercare.aftersales.v1.Aftersales/ExplainDecision")
    public static let replayDecision = MethodDescriptor<Aftercare_Aftersales_V1_ReplayDecisionRequest, Aftercare_Aftersales_V1_ReplayDecisionResponse>(
        "aftercare.aftersales.v1.Aftersales/ReplayDecision")
    public static let dryRunPolicy = MethodDescriptor<Aftercare_Aftersales_V1_DryRunPolicyRequest, Aftercare_Aftersales_V1_DryRunPolicyResponse>(
        "aftercare.aftersales.v1.Aftersales/DryRunPolicy")
    public static let getPolicy = MethodDescriptor<Aftercare_Aftersales_V1_GetPolicyRequest, Aftercare_Aftersales_V1_PolicyInfo>(
        "aftercare.aftersales.v1.Aftersales/GetPolicy")
}
