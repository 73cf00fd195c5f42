import NIOCore

/// A connection's one timer for its calls' deadlines, on its event loop: set for the earliest
/// deadline of the calls open, moved only when a call with an earlier one opens.
struct DeadlineTimer {
    private var scheduled: (timer: Scheduled<Void>, at: ContinuousClock.Instant)?

    /// Makes the timer fire by `deadline`: `fire` runs on `eventLoop` then (call ``fired()`` in it).
    mutating func arm(_ deadline: ContinuousClock.Instant, on eventLoop: any EventLoop, _ fire: @escaping () -> Void) {
        if let current = self.scheduled, current.at <= deadline { return }
        self.scheduled?.timer.cancel()
        let delay = deadline - ContinuousClock.now
        let timer = eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(max(0, delay.nanoseconds))) { fire() }
        self.scheduled = (timer, deadline)
    }

    /// The timer fired: the next ``arm(_:on:_:)`` schedules anew.
    mutating func fired() {
        self.scheduled = nil
    }

    mutating func cancel() {
        self.scheduled?.timer.cancel()
        self.scheduled = nil
    }
}
