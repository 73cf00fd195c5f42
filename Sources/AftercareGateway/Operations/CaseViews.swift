import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareRPC
import AftercareSagas

/// Builds ``Aftercare_Gateway_V1_CaseView``s: a case from aftersales, its decision explained, and
/// its sagas from the gateway's log — for the public API and the operator API alike.
struct CaseViews: Sendable {
    let peers: GatewayPeers
    let engine: SagaEngine
    let index: CaseSagaIndex

    func view(_ response: Aftercare_Aftersales_V1_CaseResponse, _ context: ServerContext) async throws -> Aftercare_Gateway_V1_CaseView {
        var view = Aftercare_Gateway_V1_CaseView()
        view.record = response.record
        view.history = response.history
        if response.hasDecision {
            view.decision = response.decision
        } else if !response.record.decision.decisionID.isEmpty {
            // Answers other than OpenCase's and GetCase's (and theirs from a build before they carried it).
            var explain = Aftercare_Aftersales_V1_ExplainDecisionRequest()
            explain.decisionID = response.record.decision.decisionID
            view.decision = try await self.peers.aftersales.unary(AftersalesMethods.explainDecision, explain, options: GatewayPeers.options(context))
        }
        view.sagas = try await self.sagas(of: response.record.caseID)
        return view
    }

    /// The sagas of case `caseID`, oldest first.
    func sagas(of caseID: String) async throws -> [Aftercare_Gateway_V1_SagaSummary] {
        var sagas: [Aftercare_Gateway_V1_SagaSummary] = []
        for id in try await self.index.sagaIDs(caseID: caseID) {
            guard let saga = try await self.engine.saga(id) else { continue }
            sagas.append(Aftercare_Gateway_V1_SagaSummary(saga, definition: self.engine.definition(named: saga.definition), caseID: caseID))
        }
        return sagas
    }
}
