public import AftercareServiceKit
import AftercareRPC
import AftercareWire
public import Logging

/// Payments' domain: charges, refund intents and their settlement with the providers. The RPC
/// handlers (``PaymentsService``) and the background pass (``RefundReconciler``) both drive it.
public final class Payments: Sendable {
    let database: any SQLDatabase
    let feed: EventFeed
    let steps: StepLedger
    let clock: ServiceClock
    let providers: ProviderSet
    let logger: Logger
    /// How many pending payments and refunds one reconciliation pass looks at, each.
    let reconcileBatch: Int
    /// The in-flight guard of the provider calls: a lease on the row, shared by every instance.
    let leases: ProviderLeases

    /// - Parameters:
    ///   - database: payments' database: SQLite migrated with ``Payments/migrations``, or PostgreSQL
    ///     with `SQLMigrations.payments`.
    ///   - feed: payments' event feed, in that database.
    ///   - steps: the step ledger, in that database: saga refunds are recorded there too.
    ///   - clock: payments' clock: timestamps, windows, lease expiries.
    ///   - providers: the provider of each channel.
    ///   - reconcileBatch: how many pending records one reconciliation pass examines.
    ///   - leaseDuration: how long this process may hold a charge or refund while it asks the
    ///     provider (longer than a provider call takes); a lease of a process that died expires
    ///     after it, and another call or instance takes the record over.
    ///   - instance: this process's id among the instances on the database (default: its pid and
    ///     a random number).
    ///   - logger: where the flow logs.
    public init(
        database: any SQLDatabase, feed: EventFeed, steps: StepLedger, clock: ServiceClock, providers: ProviderSet, reconcileBatch: Int = 100,
        leaseDuration: Duration = .seconds(30), instance: String? = nil, logger: Logger
    ) {
        self.database = database
        self.feed = feed
        self.steps = steps
        self.clock = clock
        self.providers = providers
        self.reconcileBatch = reconcileBatch
        self.leases = ProviderLeases(instance: instance ?? ProviderLeases.newInstanceID(), duration: leaseDuration, clock: clock)
        self.logger = logger
    }

    /// This process's instance id: the holder of its leases is `<instance>#<n>`.
    public var instance: String { self.leases.instance }

    /// Ends the leases held under this process's instance name: at the start of a process named
    /// (`payments.instance`), they are its predecessor's under that name, which is gone.
    /// - Returns: how many leases were left.
    public func releaseLeasesOfThisInstance() async throws -> Int {
        let instance = self.leases.instance
        return try await self.database.transaction { db in try PaymentsStore.releaseLeases(ofInstance: instance, in: db) }
    }

    /// Ends every lease left in the database. Only for the one process of a database not shared
    /// with other instances, at its start: the earlier processes that took them are gone.
    /// - Returns: how many leases were left.
    public func releaseLeasesOfEarlierProcesses() async throws -> Int {
        try await self.database.transaction { db in try PaymentsStore.releaseEveryLease(in: db) }
    }

    /// What a call answers when another call (of this instance or another) is asking the
    /// provider about the same key: retry later with the same key.
    static func inFlight(_ what: String, key: String) -> RPCError {
        RPCError(.unavailable, "\(what) with idempotency key \(key) is in progress; retry with the same key", outcome: .notExecuted)
    }

    /// Payments' own database migrations (``AftercareServiceKit/SQLMigrations/payments``), for its
    /// SQLite database.
    public static let migrations = ServiceMigrations(portable: .payments)

    /// The key a mutating call runs under: in a saga, always its step key `<saga>/<step>/<direction>`
    /// (as the step ledger keys it: an idempotency key that changed between attempts must not open a
    /// second refund for one step); otherwise its idempotency key.
    static func callKey(_ context: ServerContext) throws(RPCError) -> String {
        guard let key = context.saga?.defaultIdempotencyKey ?? context.idempotencyKey, !key.isEmpty else {
            throw RPCError.invalidField("idempotency_key", "required for \(context.method) (or a saga context)")
        }
        try RequestCheck.required(key, "idempotency_key", maxLength: IdempotencyLedger.maxKeyLength)
        return key
    }
}
