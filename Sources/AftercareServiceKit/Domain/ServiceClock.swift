public import Foundation
import Synchronization

/// The time every domain rule reads (deadlines, windows, timestamps): the wall clock, plus an offset
/// that only a service in test mode may move forward, so tests fire multi-day timers at once.
public final class ServiceClock: Sendable {
    /// Whether ``advance(by:)`` is allowed.
    public let testMode: Bool
    private let state: Mutex<State>

    private struct State {
        var offsetMicros: Int64
        /// A fixed start for tests, instead of the wall clock.
        var frozenMicros: Int64?
    }

    /// - Parameters:
    ///   - testMode: allow ``advance(by:)``.
    ///   - fixedStart: a start time that only ``advance(by:)`` moves (tests); `nil` follows the wall clock.
    public init(testMode: Bool = false, fixedStart: Date? = nil) {
        self.testMode = testMode
        self.state = Mutex(State(offsetMicros: 0, frozenMicros: fixedStart.map(Self.micros)))
    }

    /// Now, in microseconds since the Unix epoch.
    public var nowMicros: Int64 {
        self.state.withLock { state in
            (state.frozenMicros ?? Self.micros(Date())) + state.offsetMicros
        }
    }

    /// Now.
    public var now: Date { Date(timeIntervalSince1970: Double(self.nowMicros) / 1_000_000) }

    /// How far this clock is ahead of the wall clock (or of its fixed start).
    public var offsetMicros: Int64 { self.state.withLock { $0.offsetMicros } }

    /// Moves the clock forward by `micros` (> 0). Refused unless the clock is in test mode.
    public func advance(byMicros micros: Int64) throws(ServiceClockError) {
        guard self.testMode else { throw ServiceClockError(message: "the clock can be advanced in test mode only (test-mode: true)") }
        guard micros > 0 else { throw ServiceClockError(message: "by_micros must be positive, got \(micros)") }
        self.state.withLock { $0.offsetMicros += micros }
    }

    /// Microseconds since the Unix epoch of `date`.
    public static func micros(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }
}

/// Why the clock refused to move.
public struct ServiceClockError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { self.message }
}
