package import AftercareFaults
package import AftercareRPC
package import AftercareServiceKit
package import Configuration
package import Logging
package import ServiceLifecycle

/// What a service's own code gets to build its handlers: its settings and configuration, its
/// database, clock, feed and ledgers.
package struct ServiceEnvironment: Sendable {
    package let settings: ServiceSettings
    /// The whole configuration, for the service's own keys (a payment simulator's rules, say).
    package let config: ConfigReader
    /// The service's database: its SQLite file, or PostgreSQL with `database.url`.
    package let database: any SQLDatabase
    package let clock: ServiceClock
    package let feed: EventFeed
    package let ledger: MutationLedger
    /// The spans of the calls the service serves (its own database).
    package let spans: SQLSpanStore
    /// Faults the Operator methods script into this service's outgoing calls (test mode).
    package let faults: FaultInjector
    package let logger: Logger
}

/// What a service adds to the runtime: its RPC services, the long-running tasks beside them
/// (reconciliation passes, timers), extra health checks, and the allow-lists it sets itself.
package struct ServiceParts: Sendable {
    package var services: [any RPCService]
    package var background: [any Service]
    package var healthChecks: [HealthCheck]
    /// Principals the service itself admits to some of its methods, by full method name (the
    /// gateway admits every principal with a role to its public API, whose handlers then check the
    /// role). `access.methods` wins over these; every other method is `access.callers`'s.
    package var allowLists: [String: Set<String>]
    /// Gauges of the service's own state, read when `metrics.listen` is scraped (the feed's size
    /// is every service's; these are the service's own).
    package var scrapeProbes: [ScrapeProbe]

    package init(
        services: [any RPCService], background: [any Service] = [], healthChecks: [HealthCheck] = [], allowLists: [String: Set<String>] = [:],
        scrapeProbes: [ScrapeProbe] = []
    ) {
        self.services = services
        self.background = background
        self.healthChecks = healthChecks
        self.allowLists = allowLists
        self.scrapeProbes = scrapeProbes
    }
}
