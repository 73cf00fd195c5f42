import AftercareServiceKit

/// Who drives a saga when several engines (several gateways) share one saga log: the engine that
/// holds the saga's lease, and only until the lease runs out. An engine takes the lease when it
/// starts to drive a saga, renews it while it drives, writes the saga only while it still holds it,
/// and lets it go when the saga stops running; a saga whose lease ran out — its engine died or
/// hung — is taken over by another engine, which settles the call left `sent` by asking the
/// participant, as a restarted engine does.
public struct SagaLease: Sendable, Hashable {
    /// The engine's name in the log: distinct for every engine running at once on one log, and the
    /// same again for an engine restarted in its place (which then resumes its sagas at once
    /// instead of waiting out its own leases).
    public var owner: String
    /// How long a lease lasts without renewal; an engine renews its leases every third of it, and
    /// looks for sagas whose lease ran out as often.
    public var duration: Duration

    /// - Parameters:
    ///   - owner: the engine's name (default `gateway`, for one gateway alone).
    ///   - duration: how long a lease lasts (default 30 s): how long a saga of a dead engine waits
    ///     before another engine takes it over.
    public init(owner: String = "gateway", duration: Duration = .seconds(30)) {
        self.owner = owner
        self.duration = duration
    }

    /// The lease's length in microseconds.
    var micros: Int64 { self.duration.wholeMicroseconds }
}
