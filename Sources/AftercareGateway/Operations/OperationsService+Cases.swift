import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareRPC
import AftercareServiceKit

extension OperationsService {
    /// The operators' actions on a case whose refund failed. Each is aftersales' own action, made
    /// for `operator:<name>`; the new Refund saga, if any, starts from the case's event.
    func registerCases(in router: inout RPCRouter) {
        router.unary(OperationsMethods.retryRefund) { request, context in
            let actor = try self.requireOperator(context)
            let options = try GatewayPeers.options(context, keyFor: AftersalesMethods.retryRefund)
            let action = try await self.action(request, actor, options, context)
            return try await self.view(try await self.peers.aftersales.unary(AftersalesMethods.retryRefund, action, options: options), context)
        }
        router.unary(OperationsMethods.recordManualPayout) { request, context in
            let actor = try self.requireOperator(context)
            try RequestCheck.required(request.reference, "reference")
            let options = try GatewayPeers.options(context, keyFor: AftersalesMethods.recordManualPayout)
            var payout = Aftercare_Aftersales_V1_ManualPayoutRequest()
            payout.action = try await self.action(request, actor, options, context)
            payout.reference = request.reference
            return try await self.view(try await self.peers.aftersales.unary(AftersalesMethods.recordManualPayout, payout, options: options), context)
        }
        router.unary(OperationsMethods.closeCase) { request, context in
            let actor = try self.requireOperator(context)
            try RequestCheck.required(request.reason, "reason", maxLength: 1_024)
            let options = try GatewayPeers.options(context, keyFor: AftersalesMethods.closeCase)
            let action = try await self.action(request, actor, options, context)
            return try await self.view(try await self.peers.aftersales.unary(AftersalesMethods.closeCase, action, options: options), context)
        }
    }

    /// Aftersales' action for `request`: the case at the version given, or — version 0 — at its
    /// current one, read once and kept for retries under the call's key (``GatewayIntents``).
    private func action(
        _ request: Aftercare_Gateway_V1_CaseOperatorRequest, _ actor: GatewayActor, _ options: CallOptions, _ context: ServerContext
    ) async throws -> Aftercare_Aftersales_V1_CaseActionRequest {
        try RequestCheck.required(request.caseID, "case_id")
        try RequestCheck.optional(request.reason, "reason", maxLength: 1_024)
        return try await self.intents.once(key: options.idempotencyKey ?? "", request: request) {
            var action = Aftercare_Aftersales_V1_CaseActionRequest()
            action.caseID = request.caseID
            action.actorID = actor.id
            action.note = request.reason
            action.version = request.version
            if action.version == 0 {
                var get = Aftercare_Aftersales_V1_GetCaseRequest()
                get.caseID = request.caseID
                action.version = try await self.peers.aftersales.unary(
                    AftersalesMethods.getCase, get, options: GatewayPeers.options(context)).record.version
            }
            return action
        }
    }

    private func view(_ response: Aftercare_Aftersales_V1_CaseResponse, _ context: ServerContext) async throws -> Aftercare_Gateway_V1_CaseView {
        try await CaseViews(peers: self.peers, engine: self.engine, index: self.index).view(response, context)
    }
}
