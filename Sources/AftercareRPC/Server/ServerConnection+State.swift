import AftercareWire
import NIOCore

extension ServerConnection {
    /// Why a running call was stopped from outside its handler.
    enum StopReason: Sendable {
        case cancelledByCaller
        case deadlineExceeded
        case shutdown
        case connectionClosed
    }

    /// One call the connection knows about.
    struct Call {
        /// The handler's task, once started.
        var task: Task<Void, Never>?
        var gate: CreditGate
        var deadline: ContinuousClock.Instant
        var stopReason: StopReason?
    }

    /// A request still arriving in fragments.
    struct PendingRequest {
        var fields: CallFields
        var extSize: Int
        var payload: ByteBuffer
        var receivedAt: ContinuousClock.Instant
    }

    /// The connection's protocol state; every field is read and written under one lock.
    struct State: CallTracking {
        enum Phase {
            case awaitingHello
            case ready
            case draining(lastStreamID: UInt32)
            case closed
        }

        var phase = Phase.awaitingHello
        /// The highest call id the client has used.
        var highestStreamID: UInt32 = 0
        var calls: [UInt32: Call] = [:]
        var pending: [UInt32: PendingRequest] = [:]
        /// The client's HELLO, once read: its limits bound what we send.
        var peerLimits = WireLimits.defaults
        /// Resumed when the last call ends.
        var idleWaiters: [CheckedContinuation<Void, Never>] = []

        var isDraining: Bool {
            if case .draining = self.phase { return true }
            return false
        }

        /// Whether a stream frame's id belongs to a call that was opened at some point.
        func wasOpened(_ streamID: UInt32) -> Bool {
            streamID <= self.highestStreamID
        }

        /// Removes a finished call; returns the waiters to resume if it was the last.
        mutating func finish(_ streamID: UInt32) -> [CheckedContinuation<Void, Never>] {
            self.calls[streamID] = nil
            return self.takeIdleWaiters()
        }

        var hasOpenCalls: Bool { !self.calls.isEmpty }

        /// Marks the calls whose deadline has passed stopped and returns their tasks and gates.
        mutating func expire(at now: ContinuousClock.Instant) -> [(Task<Void, Never>?, CreditGate)] {
            var expired: [(Task<Void, Never>?, CreditGate)] = []
            for (id, call) in self.calls where call.stopReason == nil && call.deadline <= now {
                self.calls[id]?.stopReason = .deadlineExceeded
                expired.append((call.task, call.gate))
            }
            return expired
        }

        /// Marks every running call stopped and returns their tasks and gates.
        mutating func stopAll(_ reason: StopReason) -> [(Task<Void, Never>?, CreditGate)] {
            var stopped: [(Task<Void, Never>?, CreditGate)] = []
            for (id, call) in self.calls where call.stopReason == nil {
                self.calls[id]?.stopReason = reason
                stopped.append((call.task, call.gate))
            }
            return stopped
        }
    }
}
