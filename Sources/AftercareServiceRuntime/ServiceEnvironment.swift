public import AftercareFaults
public import AftercareRPC
public import AftercareServiceKit
public import Configuration
public import Logging
public import ServiceLifecycle

/// What a service's own code gets to build its handlers: its settings and configuration, its
/// database, clock, feed and ledgers.
public struct ServiceEnvironment: Sendable {
    public let settings: ServiceSettings
    /// The whole configuration, for the service's own keys (a payment simulator's rules, say).
    public let config: ConfigReader
    public let database: ServiceDatabase
    public let clock: ServiceClock
    public let feed: EventFeed
    public let ledger: MutationLedger
    /// The spans of the calls the service serves (its own database).
    public let spans: SQLSpanStore
    /// Faults the Operator methods script into this service's outgoing calls (test mode).
    public let faults: FaultInjector
    public let logger: Logger
}

/// What a service adds to the runtime: its RPC services, the long-running tasks beside them
/// (reconciliation passes, timers), extra health checks, and the allow-lists it sets itself.
public struct ServiceParts: Sendable {
    public var services: [any RPCService]
    public var background: [any Service]
    public var healthChecks: [HealthCheck]
    /// Principals the service itself admits to some of its methods, by full method name (the
    /// gateway admits every principal with a role to its public API, whose handlers then check the
    /// role). `access.methods` wins over these; every other method is `access.callers`'s.
    public var allowLists: [String: Set<String>]

    public init(
        services: [any RPCService], background: [any Service] = [], healthChecks: [HealthCheck] = [], allowLists: [String: Set<String>] = [:]
    ) {
        self.services = services
        self.background = background
        self.healthChecks = healthChecks
        self.allowLists = allowLists
    }
}
