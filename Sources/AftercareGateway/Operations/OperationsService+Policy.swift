import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareRPC
import AftercareServiceKit

extension OperationsService {
    /// The review policy for operators: the one in force, a stored decision replayed with the policy
    /// that made it, and a candidate policy dry-run over past decisions. None changes anything.
    func registerPolicy(in router: inout RPCRouter) {
        router.unary(OperationsMethods.getPolicy) { request, context in
            _ = try self.requireOperator(context)
            return try await self.peers.aftersales.unary(AftersalesMethods.getPolicy, request, options: GatewayPeers.options(context))
        }
        router.unary(OperationsMethods.replayDecision) { request, context in
            _ = try self.requireOperator(context)
            guard request.caseID.isEmpty != request.decisionID.isEmpty else {
                throw RPCError.invalidField("case_id", "exactly one of case_id and decision_id is required")
            }
            let options = GatewayPeers.options(context)
            var replay = Aftercare_Aftersales_V1_ReplayDecisionRequest()
            replay.decisionID = request.decisionID
            if replay.decisionID.isEmpty {
                replay.decisionID = try await self.peers.aftersales.unary(AftersalesMethods.explainDecision, request, options: options).decisionID
            }
            return try await self.peers.aftersales.unary(AftersalesMethods.replayDecision, replay, options: options)
        }
        router.unary(OperationsMethods.dryRunPolicy) { request, context in
            _ = try self.requireOperator(context)
            return try await self.peers.aftersales.unary(AftersalesMethods.dryRunPolicy, request, options: GatewayPeers.options(context))
        }
    }
}
