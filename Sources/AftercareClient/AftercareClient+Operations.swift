public import AftercareAftersalesAPI
public import AftercareGatewayAPI

/// The operator API (`aftercare.gateway.v1.Operations`): sagas, operator actions on failed refunds, traces, health, reconciliation, the review policy's replay and dry-run. Needs the operator certificate (`cli`) and an `operator:` party.
extension AftercareClient {
    /// Sagas, newest first, filtered.
    /// `Operations/ListSagas`. Retried on transient failures.
    public func listSagas(_ request: Aftercare_Gateway_V1_ListSagasRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Gateway_V1_ListSagasResponse {
        try await self.call(OperationsMethods.listSagas, request, options, .safe)
    }

    /// One saga: its steps, every attempt and outcome query, back-offs, its history.
    /// `Operations/GetSaga`. Retried on transient failures.
    public func getSaga(_ request: Aftercare_Gateway_V1_GetSagaRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Gateway_V1_SagaView {
        try await self.call(OperationsMethods.getSaga, request, options, .safe)
    }

    /// Resumes a stuck saga where it stopped, with the operator's reason (FAILED_PRECONDITION naming
    /// the state for a saga that is not stuck).
    /// `Operations/RetrySaga`. Retried only when the first try did not run.
    public func retrySaga(_ request: Aftercare_Gateway_V1_SagaActionRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Gateway_V1_SagaView {
        try await self.call(OperationsMethods.retrySaga, request, options, .ifNotExecuted)
    }

    /// Closes a stuck saga by hand (state RESOLVED), with the operator's reason.
    /// `Operations/ResolveSaga`. Retried only when the first try did not run.
    public func resolveSaga(_ request: Aftercare_Gateway_V1_SagaActionRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Gateway_V1_SagaView {
        try await self.call(OperationsMethods.resolveSaga, request, options, .ifNotExecuted)
    }

    /// A case whose refund failed: a new Refund saga (aftersales' RetryRefund; the saga starts from
    /// the case's event). Needs an idempotency key.
    /// `Operations/RetryRefund`. Retried on transient failures with the same key (the options' or one made for this call).
    public func retryRefund(_ request: Aftercare_Gateway_V1_CaseOperatorRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Gateway_V1_CaseView {
        try await self.call(OperationsMethods.retryRefund, request, options, .keyed)
    }

    /// A case whose refund failed: a payout made by hand, through payments' manual channel, as a new
    /// Refund saga. Needs `reference` and an idempotency key.
    /// `Operations/RecordManualPayout`. Retried on transient failures with the same key (the options' or one made for this call).
    public func recordManualPayout(_ request: Aftercare_Gateway_V1_CaseOperatorRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Gateway_V1_CaseView {
        try await self.call(OperationsMethods.recordManualPayout, request, options, .keyed)
    }

    /// Closes a refund-only case whose refund failed (CLOSED_REJECTED). Needs `reason` and an
    /// idempotency key.
    /// `Operations/CloseCase`. Retried on transient failures with the same key (the options' or one made for this call).
    public func closeCase(_ request: Aftercare_Gateway_V1_CaseOperatorRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Gateway_V1_CaseView {
        try await self.call(OperationsMethods.closeCase, request, options, .keyed)
    }

    /// Every span every service (and the gateway) recorded for a trace, by service.
    /// `Operations/GetTrace`. Retried on transient failures.
    public func getTrace(_ request: Aftercare_Gateway_V1_GetTraceRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Gateway_V1_GetTraceResponse {
        try await self.call(OperationsMethods.getTrace, request, options, .safe)
    }

    /// Every service's health, as the gateway sees it, and the gateway's own.
    /// `Operations/SystemHealth`. Retried on transient failures.
    public func systemHealth(_ request: Aftercare_Gateway_V1_SystemHealthRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Gateway_V1_SystemHealthResponse {
        try await self.call(OperationsMethods.systemHealth, request, options, .safe)
    }

    /// Compares what each service believes and lists every disagreement (see Disagreement). The
    /// gateway also runs it on a schedule (`gateway.reconcile.intervalSeconds`) and logs what it finds.
    /// `Operations/Reconcile`. Retried on transient failures.
    public func reconcile(_ request: Aftercare_Gateway_V1_ReconcileRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Gateway_V1_ReconcileReport {
        try await self.call(OperationsMethods.reconcile, request, options, .safe)
    }

    /// The review policy in force: version, fingerprint, timer durations and text.
    /// `Operations/GetPolicy`. Retried on transient failures.
    public func getPolicy(_ request: Aftercare_Aftersales_V1_GetPolicyRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Aftersales_V1_PolicyInfo {
        try await self.call(OperationsMethods.getPolicy, request, options, .safe)
    }

    /// A case's latest decision (`case_id`) or one by id, decided again with the policy that made
    /// it, and whether the result is the same. `Operations/ReplayDecision`. Retried on transient failures.
    public func replayDecision(_ request: Aftercare_Aftersales_V1_ExplainDecisionRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Aftersales_V1_ReplayDecisionResponse {
        try await self.call(OperationsMethods.replayDecision, request, options, .safe)
    }

    /// The past decisions a candidate policy (YAML text) would change, each with the rule and
    /// sentence it would decide by; changes nothing. `Operations/DryRunPolicy`. Retried on transient failures.
    public func dryRunPolicy(_ request: Aftercare_Aftersales_V1_DryRunPolicyRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Aftersales_V1_DryRunPolicyResponse {
        try await self.call(OperationsMethods.dryRunPolicy, request, options, .safe)
    }
}
