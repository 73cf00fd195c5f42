import AftercareWire
import NIOCore
import Synchronization

/// What arrives for one client call, buffered until the caller reads it.
final class CallInbox: Sendable {
    enum Event: Sendable {
        case message(ByteBuffer)
        case end(EndBody)
    }

    private struct State {
        var events: [Event] = []
        var head = 0
        var failure: RPCError?
        var waiter: CheckedContinuation<Event, any Error>?
        /// Fragments of a message still arriving.
        var partial: ByteBuffer?
    }

    private let state = Mutex(State())
    /// The largest message the client accepts.
    private let maxMessageSize: Int

    init(maxMessageSize: UInt32) {
        self.maxMessageSize = Int(maxMessageSize)
    }

    /// Adds a MESSAGE frame; returns an error if the joined message is too large.
    func deliver(message frame: Frame) -> RPCError? {
        let result: (CheckedContinuation<Event, any Error>?, Event?, RPCError?) = self.state.withLock { state in
            var payload = frame.payload
            if var partial = state.partial {
                partial.writeBuffer(&payload)
                payload = partial
            }
            guard payload.readableBytes <= self.maxMessageSize else {
                state.partial = nil
                return (nil, nil, RPCError(.resourceExhausted, "response message of \(payload.readableBytes) bytes exceeds the limit of \(self.maxMessageSize)", outcome: .unknown))
            }
            if frame.flags.contains(.more) {
                state.partial = payload
                return (nil, nil, nil)
            }
            state.partial = nil
            return Self.push(.message(payload), into: &state)
        }
        if let waiter = result.0, let event = result.1 { waiter.resume(returning: event) }
        return result.2
    }

    /// Adds the END frame.
    func deliver(end: EndBody) {
        let (waiter, event, _) = self.state.withLock { Self.push(.end(end), into: &$0) }
        if let waiter, let event { waiter.resume(returning: event) }
    }

    /// Ends the call with an error the caller sees at its next read (after buffered events).
    func fail(_ error: RPCError) {
        let waiter = self.state.withLock { state -> CheckedContinuation<Event, any Error>? in
            if state.failure == nil { state.failure = error }
            defer { state.waiter = nil }
            return state.head == state.events.count ? state.waiter : nil
        }
        waiter?.resume(throwing: error)
    }

    /// The next event, waiting for it if needed.
    func next() async throws -> Event {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Event, any Error>) in
                let ready: Result<Event, any Error>? = self.state.withLock { state in
                    if state.head < state.events.count {
                        defer {
                            state.head += 1
                            if state.head == state.events.count {
                                state.events.removeAll(keepingCapacity: true)
                                state.head = 0
                            }
                        }
                        return .success(state.events[state.head])
                    }
                    if let failure = state.failure { return .failure(failure) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            let waiter = self.state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    private static func push(_ event: Event, into state: inout State) -> (CheckedContinuation<Event, any Error>?, Event?, RPCError?) {
        if let waiter = state.waiter {
            state.waiter = nil
            return (waiter, event, nil)
        }
        state.events.append(event)
        return (nil, nil, nil)
    }
}
