import AftercareGatewayAPI
import Synchronization

/// One buyer's inbox as the buyer app follows it (`Gateway/FollowNotifications`, one live stream):
/// remembers which states each case reached and which events each order had, so a journey waits
/// for "case X is REFUNDED" without polling. A notification that arrives before anyone waits for it
/// is kept, so nothing is missed between a call's answer and the wait.
///
/// A case's state is read from the notification's summary, the sentence the gateway writes for the
/// owner ("Case cas_…: saga.refunded (REFUNDING → REFUNDED)", "Case cas_… closed: REFUNDED"); an
/// order's events by their type (`orders.order.delivered`).
final class InboxWatch: Sendable {
    private let state = Mutex(State())

    private struct State {
        var reached: [String: Set<String>] = [:]
        var waiters: [Waiter] = []
        var failure: BenchmarkError?
        var received = 0
    }

    private struct Waiter {
        let key: String
        let mark: String
        let continuation: CheckedContinuation<Void, any Error>
    }

    /// Notifications received so far.
    var received: Int { self.state.withLock { $0.received } }

    /// Takes in one notification of the followed inbox.
    func receive(_ notification: Aftercare_Gateway_V1_Notification) {
        var marks: [(String, String)] = []
        let subjects = notification.subjects
        if !subjects.caseID.isEmpty, notification.type.hasPrefix("aftersales.case."), let state = Self.caseState(notification.summary) {
            marks.append((subjects.caseID, state))
        }
        if !subjects.orderID.isEmpty { marks.append((subjects.orderID, notification.type)) }
        let ready: [CheckedContinuation<Void, any Error>] = self.state.withLock { state in
            state.received += 1
            for (key, mark) in marks { state.reached[key, default: []].insert(mark) }
            var ready: [CheckedContinuation<Void, any Error>] = []
            state.waiters.removeAll { waiter in
                guard state.reached[waiter.key]?.contains(waiter.mark) == true else { return false }
                ready.append(waiter.continuation)
                return true
            }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }

    /// Waits until `key` (a case id or an order id) has reached `mark` (a case state or an event
    /// type); at once if it already has.
    func wait(for key: String, _ mark: String) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let now: Result<Void, BenchmarkError>? = self.state.withLock { state in
                if state.reached[key]?.contains(mark) == true { return .success(()) }
                if let failure = state.failure { return .failure(failure) }
                state.waiters.append(Waiter(key: key, mark: mark, continuation: continuation))
                return nil
            }
            if let now { continuation.resume(with: now.mapError { $0 as any Error }) }
        }
    }

    /// Forgets what `key` reached (its journey is over).
    func forget(_ key: String) {
        self.state.withLock { _ = $0.reached.removeValue(forKey: key) }
    }

    /// Fails every wait, now and later, with `failure` (the stream ended, or nothing progresses).
    func fail(_ failure: BenchmarkError) {
        let waiters = self.state.withLock { state in
            if state.failure == nil { state.failure = failure }
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.continuation.resume(throwing: failure) }
    }

    /// The state a case notification's summary names: after the last "→ " up to ")", or after
    /// " closed: ".
    static func caseState(_ summary: String) -> String? {
        if let arrow = summary.range(of: "→ ", options: .backwards) {
            let rest = summary[arrow.upperBound...]
            return String(rest.prefix { $0 != ")" })
        }
        if let closed = summary.range(of: " closed: ") {
            return String(summary[closed.upperBound...])
        }
        return nil
    }
}
