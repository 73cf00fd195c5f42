package import AftercareRPC
package import AftercareSagas
import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareServiceKit

/// `aftercare.gateway.v1.Operations`, the operator API the `aftercare` CLI calls
/// (`proto-spec/gateway.proto`): sagas and the operators' actions on them, failed refunds, traces
/// gathered from every service, every service's health, reconciliation, the review policy's
/// replay and dry-run. Only the `operator` role,
/// acting as `operator:<name>`.
package struct OperationsService: RPCService {
    let peers: GatewayPeers
    let access: GatewayAccess
    let engine: SagaEngine
    let index: CaseSagaIndex
    let intents: GatewayIntents
    let ownSpans: any SpanStore
    let ownHealth: @Sendable () async -> Aftercare_Common_V1_HealthResponse
    let reconciler: Reconciler

    /// - Parameters:
    ///   - peers: running clients of the five services.
    ///   - access: the role table.
    ///   - engine: the saga engine; its database is the gateway's.
    ///   - ownSpans: the spans of the calls the gateway itself served.
    ///   - ownHealth: the gateway's own health, as its built-in Health method answers it.
    ///   - reconciler: the reconciliation pass.
    package init(
        peers: GatewayPeers, access: GatewayAccess, engine: SagaEngine, ownSpans: any SpanStore,
        ownHealth: @escaping @Sendable () async -> Aftercare_Common_V1_HealthResponse, reconciler: Reconciler
    ) {
        self.peers = peers
        self.access = access
        self.engine = engine
        self.index = CaseSagaIndex(database: engine.database)
        self.intents = GatewayIntents(database: engine.database, clock: engine.clock)
        self.ownSpans = ownSpans
        self.ownHealth = ownHealth
        self.reconciler = reconciler
    }

    package func register(in router: inout RPCRouter) {
        self.registerSagas(in: &router)
        self.registerCases(in: &router)
        self.registerSystem(in: &router)
        self.registerPolicy(in: &router)
    }

    /// The operator calling, or why not.
    func requireOperator(_ context: ServerContext) throws(RPCError) -> GatewayActor {
        guard let actor = try self.access.caller(context, actors: [.operator]).actor else {
            throw RPCError(.permissionDenied, "\(context.method) is for operators", outcome: .notExecuted)
        }
        return actor
    }
}
