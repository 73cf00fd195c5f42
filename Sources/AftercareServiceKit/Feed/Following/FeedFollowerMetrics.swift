import CoreMetrics

/// What a feed follower records through swift-metrics, by feed (the source service's name):
/// events handled (`aftercare_feed_events_handled_total{feed}`) and how far behind the follower is
/// (`aftercare_feed_follower_lag_seconds{feed}`: the follower's clock minus the time the last
/// handled event occurred at its source; 0 once it handled an event as it happened).
struct FeedFollowerMetrics: Sendable {
    private let handled: Counter
    private let lag: Gauge

    init(feed: String) {
        self.handled = Counter(label: "aftercare_feed_events_handled_total", dimensions: [("feed", feed)])
        self.lag = Gauge(label: "aftercare_feed_follower_lag_seconds", dimensions: [("feed", feed)])
    }

    /// Counts an event handled at `nowMicros` that occurred at `occurredMicros`.
    func handled(occurredMicros: Int64, nowMicros: Int64) {
        self.handled.increment()
        self.lag.record(Double(max(nowMicros - occurredMicros, 0)) / 1_000_000)
    }
}
