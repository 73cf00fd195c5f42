package import AftercareRPC
package import AftercareSagas
package import AftercareServiceKit
package import Logging
package import ServiceLifecycle

/// The gateway's parts, put together: a client per service, the saga engine running the seven
/// sagas, a feed follower per service handing every event to the saga triggers, the order, payment and
/// feedback relays, the subject index and the inboxes, in that order; the public API, the operator
/// API and the reconciliation pass over them. The followers and the periodic reconciliation pass
/// run under work leases (``AftercareServiceKit/WorkLease``, the saga lease's owner and length),
/// so that of several gateways on one database one at a time runs each.
package struct GatewayAssembly: Sendable {
    package let peers: GatewayPeers
    package let engine: SagaEngine
    package let inboxes: Inboxes
    package let followers: [FeedFollower]
    package let reconciler: Reconciler
    /// Whose turn the periodic reconciliation pass is, among gateways sharing one database.
    let reconcileLease: WorkLease
    let settings: GatewaySettings
    let ownSpans: any SpanStore
    let ownHealth: @Sendable () async -> Aftercare_Common_V1_HealthResponse
    let logger: Logger

    /// - Parameters:
    ///   - clients: one per name of ``GatewaySettings/peerNames``.
    ///   - settings: the role table, the reconciliation interval, how the sagas call.
    ///   - database: the gateway's, migrated with ``AftercareServiceKit/ServiceMigrations/gateway``.
    ///   - ownSpans: the spans of the calls the gateway serves, for traces.
    ///   - ownHealth: the gateway's own health answer, for the operators' system health.
    package init(
        clients: [String: RPCClient], settings: GatewaySettings, database: any SQLDatabase, clock: ServiceClock, ownSpans: any SpanStore,
        ownHealth: @escaping @Sendable () async -> Aftercare_Common_V1_HealthResponse, logger: Logger
    ) throws {
        let peers = try GatewayPeers(clients)
        let engine = try SagaEngine(
            database: database, clock: clock, participants: clients, definitions: GatewaySagas.definitions(settings.sagas), logger: logger,
            lease: settings.sagas.lease)
        let starter = CaseSagaStarter(engine: engine, configuration: settings.sagas)
        let inboxes = Inboxes(database: database, clock: clock)
        let triggers = SagaTriggers(
            startCaseSaga: { event, requested in _ = try await starter.start(requested, from: event) },
            startCarrierProgress: { event, changed in _ = try await starter.startCarrierProgress(changed, from: event) },
            startOrderCancellation: { event, order in _ = try await starter.startOrderCancellation(order, from: event) })
        let handlers: [any EventHandler] = [
            triggers, OrderRelay(orders: peers.orders), PaymentRelay(orders: peers.orders, logger: logger), FeedbackRelay(orders: peers.orders, feedback: peers.feedback),
        ]
        let writers: [any EventWriter] = [SubjectIndex(database: database), inboxes]
        let lease = settings.sagas.lease
        let workLease: @Sendable (String) -> WorkLease = { name in
            WorkLease(name: name, owner: lease.owner, duration: lease.duration, database: database, clock: clock)
        }
        self.peers = peers
        self.engine = engine
        self.inboxes = inboxes
        self.followers = EventRouter.followers(
            clients: clients, handlers: handlers, writers: writers, database: database, clock: clock, lease: workLease, logger: logger)
        self.reconcileLease = workLease("reconciliation")
        self.reconciler = Reconciler(peers: peers, engine: engine)
        self.settings = settings
        self.ownSpans = ownSpans
        self.ownHealth = ownHealth
        self.logger = logger
    }

    /// The RPC services the gateway serves: the public API and the operator API.
    package var services: [any RPCService] {
        let access = GatewayAccess(roles: self.settings.roles)
        return [
            GatewayService(peers: self.peers, access: access, inboxes: self.inboxes, engine: self.engine),
            OperationsService(
                peers: self.peers, access: access, engine: self.engine, ownSpans: self.ownSpans, ownHealth: self.ownHealth,
                reconciler: self.reconciler),
        ]
    }

    /// Who may reach `services` (``services``, the public and operator API) at all: every principal
    /// with a role (each handler then checks what the role may do). The gateway's other methods
    /// (its feed, step ledger and test-mode Operator methods) stay `access.callers`'s, closed by
    /// default.
    package func allowLists(for services: [any RPCService]) -> [String: Set<String>] {
        let principals = Set(self.settings.roles.byPrincipal.keys)
        var router = RPCRouter()
        for service in services { router.add(service) }
        return router.routes.mapValues { _ in principals }
    }

    /// Gauges read at each metrics scrape: the sagas by definition and state.
    package var scrapeProbes: [ScrapeProbe] { [self.engine.scrapeProbe] }

    /// What the service group runs: the clients, the engine (resuming unfinished sagas at start),
    /// the followers, the reconciliation pass.
    package var background: [any Service] {
        self.peers.all.sorted { $0.key < $1.key }.map { $0.value as any Service } + [self.engine] + self.followers.map { $0 as any Service }
            + [self.reconciler.periodic(interval: self.settings.reconcileInterval, lease: self.reconcileLease, logger: self.logger)]
    }
}
