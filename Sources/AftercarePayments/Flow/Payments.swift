public import AftercareServiceKit
import AftercareRPC
import AftercareWire
public import Logging

/// Payments' domain: charges, refund intents and their settlement with the providers. The RPC
/// handlers (``PaymentsService``) and the background pass (``RefundReconciler``) both drive it.
public final class Payments: Sendable {
    let database: ServiceDatabase
    let feed: EventFeed
    let steps: StepLedger
    let clock: ServiceClock
    let providers: ProviderSet
    let logger: Logger
    /// How many pending payments and refunds one reconciliation pass looks at, each.
    let reconcileBatch: Int
    let inFlight = InFlightKeys()

    /// - Parameters:
    ///   - database: payments' database, migrated with ``Payments/migrations``.
    ///   - feed: payments' event feed, in that database.
    ///   - steps: the step ledger, in that database: saga refunds are recorded there too.
    ///   - providers: the provider of each channel.
    ///   - reconcileBatch: how many pending records one reconciliation pass examines.
    public init(
        database: ServiceDatabase, feed: EventFeed, steps: StepLedger, clock: ServiceClock, providers: ProviderSet, reconcileBatch: Int = 100,
        logger: Logger
    ) {
        self.database = database
        self.feed = feed
        self.steps = steps
        self.clock = clock
        self.providers = providers
        self.reconcileBatch = reconcileBatch
        self.logger = logger
    }

    /// Payments' own database migrations.
    public static var migrations: ServiceMigrations { PaymentsStore.migrations }

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
