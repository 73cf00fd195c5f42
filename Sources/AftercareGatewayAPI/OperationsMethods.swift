public import AftercareAftersalesAPI
public import AftercareRPC

/// The operator API (`aftercare.gateway.v1.Operations`) the `aftercare` CLI calls.
/// `proto-spec/gateway.proto` documents each method.
public enum OperationsMethods {
    /// The service's wire name.
    public static let service = "aftercare.gateway.v1.Operations"

    public static let listSagas = MethodDescriptor<Aftercare_Gateway_V1_ListSagasRequest, Aftercare_Gateway_V1_ListSagasResponse>("\(service)/ListSagas")
    public static let getSaga = MethodDescriptor<Aftercare_Gateway_V1_GetSagaRequest, Aftercare_Gateway_V1_SagaView>("\(service)/GetSaga")
    public static let retrySaga = MethodDescriptor<Aftercare_Gateway_V1_SagaActionRequest, Aftercare_Gateway_V1_SagaView>("\(service)/RetrySaga")
    public static let resolveSaga = MethodDescriptor<Aftercare_Gateway_V1_SagaActionRequest, Aftercare_Gateway_V1_SagaView>("\(service)/ResolveSaga")
    public static let retryRefund = MethodDescriptor<Aftercare_Gateway_V1_CaseOperatorRequest, Aftercare_Gateway_V1_CaseView>("\(service)/RetryRefund")
    public static let recordManualPayout = MethodDescriptor<Aftercare_Gateway_V1_CaseOperatorRequest, Aftercare_Gateway_V1_CaseView>("\(service)/RecordManualPayout")
    public static let closeCase = MethodDescriptor<Aftercare_Gateway_V1_CaseOperatorRequest, Aftercare_Gateway_V1_CaseView>("\(service)/CloseCase")
    public static let getTrace = MethodDescriptor<Aftercare_Gateway_V1_GetTraceRequest, Aftercare_Gateway_V1_GetTraceResponse>("\(service)/GetTrace")
    public static let systemHealth = MethodDescriptor<Aftercare_Gateway_V1_SystemHealthRequest, Aftercare_Gateway_V1_SystemHealthResponse>("\(service)/SystemHealth")
    public static let reconcile = MethodDescriptor<Aftercare_Gateway_V1_ReconcileRequest, Aftercare_Gateway_V1_ReconcileReport>("\(service)/Reconcile")
    public static let getPolicy = MethodDescriptor<Aftercare_Aftersales_V1_GetPolicyRequest, Aftercare_Aftersales_V1_PolicyInfo>("\(service)/GetPolicy")
    public static let replayDecision = MethodDescriptor<Aftercare_Aftersales_V1_ExplainDecisionRequest, Aftercare_Aftersales_V1_ReplayDecisionResponse>("\(service)/ReplayDecision")
    public static let dryRunPolicy = MethodDescriptor<Aftercare_Aftersales_V1_DryRunPolicyRequest, Aftercare_Aftersales_V1_DryRunPolicyResponse>("\(service)/DryRunPolicy")

    /// Every method's wire name, in the order of the .proto.
    public static let allNames: [String] = [
        listSagas.fullName,
        getSaga.fullName,
        retrySaga.fullName,
        resolveSaga.fullName,
        retryRefund.fullName,
        recordManualPayout.fullName,
        closeCase.fullName,
        getTrace.fullName,
        systemHealth.fullName,
        reconcile.fullName,
        getPolicy.fullName,
        replayDecision.fullName,
        dryRunPolicy.fullName,
    ]
}
