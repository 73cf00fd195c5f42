package import AftercareRPC
package import AftercareSagas
import AftercareGatewayAPI
import AftercareServiceKit

/// `aftercare.gateway.v1.Gateway`, the public API (`proto-spec/gateway.proto`): every handler
/// first authorises its caller (``GatewayAccess``), then checks that the actor is a party to the
/// records it names (read from the service that owns them), then calls the owning services on the
/// actor's behalf with keys derived from the caller's (``GatewayPeers/options(_:keyFor:)``).
package struct GatewayService: RPCService {
    let peers: GatewayPeers
    let access: GatewayAccess
    let inboxes: Inboxes
    let engine: SagaEngine
    let sagaIndex: CaseSagaIndex
    let intents: GatewayIntents

    /// - Parameters:
    ///   - peers: running clients of the five services.
    ///   - access: the role table.
    ///   - inboxes: the notification inboxes the router fills.
    ///   - engine: the saga engine, for the sagas a case view shows; its database is the gateway's
    ///     (``AftercareServiceKit/ServiceMigrations/gateway``), which also keeps the calls' intents,
    ///     and its clock the gateway's (the buyer's 90-day totals).
    package init(peers: GatewayPeers, access: GatewayAccess, inboxes: Inboxes, engine: SagaEngine) {
        self.peers = peers
        self.access = access
        self.inboxes = inboxes
        self.engine = engine
        self.sagaIndex = CaseSagaIndex(database: engine.database)
        self.intents = GatewayIntents(database: engine.database, clock: engine.clock)
    }

    package func register(in router: inout RPCRouter) {
        self.registerOrders(in: &router)
        self.registerTotals(in: &router)
        self.registerStock(in: &router)
        self.registerParcels(in: &router)
        self.registerCases(in: &router)
        self.registerCaseActions(in: &router)
        self.registerFeedback(in: &router)
        self.registerNotifications(in: &router)
    }
}
