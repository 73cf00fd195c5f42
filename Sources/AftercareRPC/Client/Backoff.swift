/// Exponential back-off with jitter between connection attempts.
struct Backoff: Sendable {
    let initial: Duration
    let maximum: Duration
    private(set) var current: Duration

    init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = maximum
        self.current = initial
    }

    /// The next wait: the current one ±20 %, then doubled for the time after.
    mutating func next() -> Duration {
        let wait = self.current * Double.random(in: 0.8...1.2)
        self.current = min(self.current * 2, self.maximum)
        return wait
    }

    mutating func reset() {
        self.current = self.initial
    }
}
