/// Exponential back-off with jitter: between connection attempts, and between a client's retries.
public struct Backoff: Sendable {
    public let initial: Duration
    public let maximum: Duration
    public private(set) var current: Duration

    /// Waits starting at `initial`, doubled after each, up to `maximum`.
    public init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = maximum
        self.current = initial
    }

    /// The next wait: the current one ±20 %, then doubled for the time after.
    public mutating func next() -> Duration {
        let wait = self.current * Double.random(in: 0.8...1.2)
        self.current = min(self.current * 2, self.maximum)
        return wait
    }

    /// Starts again from `initial`.
    public mutating func reset() {
        self.current = self.initial
    }
}
