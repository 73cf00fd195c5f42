/// How one saga step retries: exponential back-off with jitter, an attempt threshold and a
/// per-call timeout.
public struct SagaRetryPolicy: Sendable, Hashable {
    /// The wait before the second attempt. Default 100 ms.
    public var initialBackoff: Duration
    /// The wait never grows past this. Default 10 s.
    public var maximumBackoff: Duration
    /// Each wait is scaled by a random factor in `1 ± jitter` (0 ≤ jitter < 1). Default 0.2.
    public var jitter: Double
    /// Attempts (calls and failed outcome queries) before the engine stops: a forward step before
    /// the pivot then gives up and the saga compensates; the pivot, a step after it, a compensation
    /// or the on-compensated step marks the saga stuck. Counted again from zero after an operator
    /// retry. Default 8.
    public var maxAttempts: Int
    /// The longest one call may take; the saga's remaining budget caps it. Default 5 s.
    public var callTimeout: Duration

    public init(
        initialBackoff: Duration = .milliseconds(100),
        maximumBackoff: Duration = .seconds(10),
        jitter: Double = 0.2,
        maxAttempts: Int = 8,
        callTimeout: Duration = .seconds(5)
    ) {
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.jitter = min(max(jitter, 0), 0.99)
        self.maxAttempts = max(1, maxAttempts)
        self.callTimeout = callTimeout
    }

    public static let defaults = SagaRetryPolicy()

    /// The wait before the attempt that follows `failures` failed ones (0 for the first attempt):
    /// `initialBackoff · 2^(failures − 1)`, capped by `maximumBackoff`, times `1 ± jitter`.
    public func backoff(afterFailures failures: Int, random: Double = Double.random(in: -1...1)) -> Duration {
        guard failures > 0 else { return .zero }
        let initial = Self.seconds(self.initialBackoff)
        let exponential = initial * Double(1 << min(failures - 1, 30))
        let capped = min(exponential, Self.seconds(self.maximumBackoff))
        let jittered = capped * (1 + self.jitter * min(max(random, -1), 1))
        return .microseconds(Int64((jittered * 1_000_000).rounded()))
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
