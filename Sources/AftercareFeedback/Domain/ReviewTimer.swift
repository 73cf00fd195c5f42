/// T_review: the buyer may review until 15 days after delivery, not counting the time a case on
/// the line was open. Stored as a deadline (valid while the timer runs) and the time it was
/// paused; a pause moves the deadline later by its length when it ends.
package struct ReviewTimer: Sendable, Hashable {
    /// 15 days.
    package static let windowMicros: Int64 = 15 * 86_400 * 1_000_000

    /// When the timer fires if it runs from now on uninterrupted.
    package var deadlineMicros: Int64
    /// When it was paused; `nil` while it runs.
    package var pausedAtMicros: Int64?

    package init(deadlineMicros: Int64, pausedAtMicros: Int64? = nil) {
        self.deadlineMicros = deadlineMicros
        self.pausedAtMicros = pausedAtMicros
    }

    /// The timer of a line delivered at `deliveredAt`.
    package static func started(deliveredAtMicros deliveredAt: Int64) -> ReviewTimer {
        ReviewTimer(deadlineMicros: deliveredAt + Self.windowMicros)
    }

    /// Whether it fires at `now`: running, and its deadline reached.
    package func isDue(atMicros now: Int64) -> Bool {
        self.pausedAtMicros == nil && self.deadlineMicros <= now
    }

    /// Pauses at `now`; a paused timer stays paused from its first pause.
    package mutating func pause(atMicros now: Int64) {
        if self.pausedAtMicros == nil { self.pausedAtMicros = now }
    }

    /// Resumes at `now` with the time it had left when paused.
    package mutating func resume(atMicros now: Int64) {
        guard let paused = self.pausedAtMicros else { return }
        self.deadlineMicros += max(0, now - paused)
        self.pausedAtMicros = nil
    }
}
