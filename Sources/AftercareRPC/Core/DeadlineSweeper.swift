/// The loop a connection runs to end calls whose deadline has passed, in place of a timer task per
/// call: it sleeps until the earliest deadline (at most `granularity`, so a call started later
/// with a shorter deadline waits no longer than that), or until a call starts when none is open.
struct DeadlineSweeper: Sendable {
    private let signals: AsyncStream<Void>
    private let signal: AsyncStream<Void>.Continuation
    private let granularity: Duration

    init(granularity: Duration) {
        (self.signals, self.signal) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.granularity = granularity
    }

    /// A call with a deadline has started: wakes the sweeper if it waits for one.
    func callStarted() {
        self.signal.yield()
    }

    /// Ends ``run(earliest:expire:)`` once it next wakes.
    func finish() {
        self.signal.finish()
    }

    /// Until finished or cancelled: waits as described, then calls `expire` with the time.
    /// - Parameters:
    ///   - earliest: the earliest deadline of the calls still running, if any.
    ///   - expire: ends the calls whose deadline is at or before the given time.
    func run(earliest: () -> ContinuousClock.Instant?, expire: (ContinuousClock.Instant) -> Void) async {
        var signals = self.signals.makeAsyncIterator()
        while !Task.isCancelled {
            if let deadline = earliest() {
                try? await Task.sleep(until: min(deadline, ContinuousClock.now.advanced(by: self.granularity)), clock: .continuous)
            } else if await signals.next() == nil {
                return
            }
            expire(.now)
        }
    }
}
