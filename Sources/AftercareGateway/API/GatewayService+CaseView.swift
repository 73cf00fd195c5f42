import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareRPC

extension GatewayService {
    /// A case as people read it: its record and history, the decision in force explained, and the
    /// sagas its events started.
    func caseView(_ response: Aftercare_Aftersales_V1_CaseResponse, _ context: ServerContext) async throws -> Aftercare_Gateway_V1_CaseView {
        try await CaseViews(peers: self.peers, engine: self.engine, index: self.sagaIndex).view(response, context)
    }
}
