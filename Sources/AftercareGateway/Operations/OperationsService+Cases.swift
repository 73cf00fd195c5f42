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
            let retried = try await self.act(request, actor, options, context) { action in
                try await self.peers.aftersales.unary(AftersalesMethods.retryRefund, action, options: options)
            }
            return try await self.view(retried, context)
        }
        router.unary(OperationsMethods.recordManualPayout) { request, context in
            let actor = try self.requireOperator(context)
            try RequestCheck.required(request.reference, "reference")
            let options = try GatewayPeers.options(context, keyFor: AftersalesMethods.recordManualPayout)
            let recorded = try await self.act(request, actor, options, context) { action in
                var payout = Aftercare_Aftersales_V1_ManualPayoutRequest()
                payout.action = action
                payout.reference = request.reference
                return try await self.peers.aftersales.unary(AftersalesMethods.recordManualPayout, payout, options: options)
            }
            return try await self.view(recorded, context)
        }
        router.unary(OperationsMethods.closeCase) { request, context in
            let actor = try self.requireOperator(context)
            try RequestCheck.required(request.reason, "reason", maxLength: AftersalesLimits.note)
            let options = try GatewayPeers.options(context, keyFor: AftersalesMethods.closeCase)
            let closed = try await self.act(request, actor, options, context) { action in
                try await self.peers.aftersales.unary(AftersalesMethods.closeCase, action, options: options)
            }
            return try await self.view(closed, context)
        }
    }

    /// Sends aftersales' action for `request` through `send`: the case at the version given, or —
    /// version 0 — at its current one, read once and kept for retries under the call's key
    /// (``GatewayIntents``).
    private func act(
        _ request: Aftercare_Gateway_V1_CaseOperatorRequest, _ actor: GatewayActor, _ options: CallOptions, _ context: ServerContext,
        send: (Aftercare_Aftersales_V1_CaseActionRequest) async throws -> Aftercare_Aftersales_V1_CaseResponse
    ) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        try RequestCheck.required(request.caseID, "case_id")
        try RequestCheck.optional(request.reason, "reason", maxLength: AftersalesLimits.note)
        let build = {
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
        return try await self.intents.send(key: options.idempotencyKey ?? "", request: request, build: build, send: send)
    }

    private func view(_ response: Aftercare_Aftersales_V1_CaseResponse, _ context: ServerContext) async throws -> Aftercare_Gateway_V1_CaseView {
        try await CaseViews(peers: self.peers, engine: self.engine, index: self.index).view(response, context)
    }
}
