import AftercareRPC

/// Which failed calls an ``AftercareClient`` makes again, how often and how far apart.
///
/// A call is retried only when doing it twice cannot do it twice:
/// - reads, and calls idempotent by a natural key, on any transient failure (`UNAVAILABLE`,
///   `DEADLINE_EXCEEDED`, `RESOURCE_EXHAUSTED`);
/// - calls with an idempotency key likewise, always with the same key, which the client generates
///   once per call when the caller gives none: the gateway answers a repeat with the first answer;
/// - the operator's saga actions (neither keyed nor read-only) only when the first try certainly
///   did not run (outcome `notExecuted`).
public struct RetryPolicy: Sendable, Hashable {
    /// Tries in all, the first included; 1 turns retries off.
    public var maxAttempts: Int
    /// The wait before the first retry, doubled after each, up to ``maximumBackoff``, with ±20 %
    /// jitter; a server's retry-after hint wins when longer.
    public var initialBackoff: Duration
    public var maximumBackoff: Duration

    public init(maxAttempts: Int = 4, initialBackoff: Duration = .milliseconds(100), maximumBackoff: Duration = .seconds(2)) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
    }

    /// Four tries, 100 ms, 200 ms and 400 ms apart.
    public static let `default` = RetryPolicy()
    /// One try.
    public static let never = RetryPolicy(maxAttempts: 1)

    /// The waits between one call's tries.
    var backoff: Backoff {
        Backoff(initial: self.initialBackoff, maximum: self.maximumBackoff)
    }

    /// The wait before the next try: `backoff`'s next, or the server's retry-after hint when longer.
    func wait(_ backoff: inout Backoff, hint: Duration?) -> Duration {
        max(backoff.next(), hint ?? .zero)
    }
}

/// How a gateway method may be retried (see ``RetryPolicy``).
enum Retryable: Sendable {
    /// A read, or idempotent by a natural key.
    case safe
    /// Needs an idempotency key: one is generated when the caller gives none, and kept for every try.
    case keyed
    /// Retried only when the first try did not run.
    case ifNotExecuted
}
