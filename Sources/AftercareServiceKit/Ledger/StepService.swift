public import AftercareRPC

/// `aftercare.common.v1.Steps`: what happened to a saga step in this service, so a saga whose call
/// ended with an unknown outcome can ask before doing anything else.
public struct StepService: RPCService {
    public let ledger: StepLedger

    public init(ledger: StepLedger) {
        self.ledger = ledger
    }

    public func register(in router: inout RPCRouter) {
        router.unary(StepMethods.queryStep) { [ledger] request, _ in
            try RequestCheck.required(request.sagaID, "saga_id")
            try RequestCheck.required(request.step, "step")
            return try await ledger.query(sagaID: request.sagaID, step: request.step)
        }
    }
}
