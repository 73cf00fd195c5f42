public import AftercareRPC
public import AftercareSagas
public import AftercareServiceKit
public import Logging
public import ServiceLifecycle

/// The gateway's parts, put together: a client per service, the saga engine running the six
/// sagas, and a feed follower per service handing every event to the saga triggers, the feedback
/// relay and the inboxes, in that order.
public struct GatewayAssembly: Sendable {
    public let clients: [String: RPCClient]
    public let engine: SagaEngine
    public let inboxes: Inboxes
    public let followers: [FeedFollower]

    /// - Parameters:
    ///   - clients: one per name of ``GatewaySettings/peerNames``.
    ///   - database: the gateway's, migrated with ``AftercareServiceKit/ServiceMigrations/gateway``.
    public init(clients: [String: RPCClient], database: ServiceDatabase, clock: ServiceClock, logger: Logger) throws {
        guard let orders = clients["orders"], let feedback = clients["feedback"] else {
            throw ServiceSettingsError(key: "gateway.peers", problem: "orders and feedback are required")
        }
        let engine = try SagaEngine(
            database: database, clock: clock, participants: clients, definitions: GatewaySagas.definitions(), logger: logger)
        let starter = CaseSagaStarter(engine: engine, orders: orders)
        let inboxes = Inboxes(database: database, clock: clock)
        let triggers = SagaTriggers(
            startCaseSaga: { event, _ in _ = try await starter.start(from: event) },
            startCarrierProgress: { event, _ in _ = try await starter.startCarrierProgress(from: event) })
        let handlers: [any EventHandler] = [triggers, FeedbackRelay(orders: orders, feedback: feedback), inboxes]
        self.clients = clients
        self.engine = engine
        self.inboxes = inboxes
        self.followers = EventRouter.followers(clients: clients, handlers: handlers, database: database, clock: clock, logger: logger)
    }

    /// What the service group runs: the clients, the engine (resuming unfinished sagas at start),
    /// the followers.
    public var background: [any Service] {
        self.clients.sorted { $0.key < $1.key }.map { $0.value as any Service } + [self.engine] + self.followers.map { $0 as any Service }
    }
}
