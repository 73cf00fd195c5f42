import AftercareWire
import NIOCore
import Synchronization

/// One call on a client connection, as its caller and the connection's event loop share it: the
/// caller hands over the request, the event loop opens the call and delivers what arrives
/// (messages, END, or a failure), the caller reads it.
final class ClientCall: Sendable {
    typealias Event = CallEvents.Event

    private struct State {
        var events = CallEvents()
        var failure: RPCError?
        var waiter: CheckedContinuation<Event, any Error>?
        /// A unary caller waits for END (or a failure) only, so one wake-up serves the call.
        var waitsForEnd = false
        var ended = false
        /// Whether the server sent anything for the call (a message or END).
        var answered = false
        /// Fragments of a message still arriving.
        var partial: ByteBuffer?
        /// Set by the event loop once the CALL was handed to the connection.
        var streamID: UInt32?
        /// The call's fields and request until the event loop opens the call.
        var request: (fields: CallFields, message: ByteBuffer)?
    }

    private let state: Mutex<State>
    /// The largest message the client accepts.
    private let maxMessageSize: Int
    let deadline: ContinuousClock.Instant
    private let connection: NIOLoopBound<ClientConnectionHandler>

    init(_ fields: CallFields, _ request: ByteBuffer, deadline: ContinuousClock.Instant, maxMessageSize: UInt32, connection: NIOLoopBound<ClientConnectionHandler>) {
        self.state = Mutex(State(request: (fields, request)))
        self.deadline = deadline
        self.maxMessageSize = Int(maxMessageSize)
        self.connection = connection
    }

    /// Opens the call on its connection's event loop. (A closure capturing only the call needs no
    /// allocation of its own.)
    func open() {
        self.connection.eventLoop.execute { self.openOnEventLoop() }
    }

    private func openOnEventLoop() {
        guard let request = self.state.withLock({ $0.request.take() }) else { return }
        self.connection.value.open(self, request.fields, request.message, deadline: self.deadline)
    }

    /// The call's stream id once its CALL was written; `nil` before (then nothing was sent).
    var streamID: UInt32? { self.state.withLock { $0.streamID } }

    /// Whether END (or a failure) has arrived.
    var hasEnded: Bool { self.state.withLock { $0.ended } }

    /// Whether the server sent anything for the call: a failure of a call it never answered came
    /// from the connection, not from the server.
    var wasAnswered: Bool { self.state.withLock { $0.answered } }

    // MARK: The event loop's side

    func opened(_ streamID: UInt32) {
        self.state.withLock { $0.streamID = streamID }
    }

    /// Adds a MESSAGE frame; returns an error if the joined message is too large.
    func deliver(message frame: Frame) -> RPCError? {
        var payload = frame.payload
        let result = self.state.withLock { state -> (CheckedContinuation<Event, any Error>?, Event?, RPCError?) in
            state.answered = true
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
        let (waiter, event, _) = self.state.withLock { state in
            state.ended = true
            state.answered = true
            return Self.push(.end(end), into: &state)
        }
        if let waiter, let event { waiter.resume(returning: event) }
    }

    /// Ends the call with an error the caller sees at its next read (after buffered events).
    func fail(_ error: RPCError) {
        let waiter = self.state.withLock { state -> CheckedContinuation<Event, any Error>? in
            if state.failure == nil { state.failure = error }
            state.ended = true
            guard state.waitsForEnd || state.events.isEmpty else { return nil }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(throwing: error)
    }

    /// Hands the event to a waiting caller, or buffers it. A caller waits only when nothing it
    /// wants is buffered; a unary caller (waiting for END) is not woken by messages.
    private static func push(_ event: Event, into state: inout State) -> (CheckedContinuation<Event, any Error>?, Event?, RPCError?) {
        let isMessage: Bool = if case .message = event { true } else { false }
        if let waiter = state.waiter, !(state.waitsForEnd && isMessage) {
            state.waiter = nil
            return (waiter, event, nil)
        }
        state.events.append(event)
        return (nil, nil, nil)
    }

    // MARK: The caller's side

    /// The next event, waiting for it if needed; with `untilEnd`, waits for END (or a failure) and
    /// leaves the messages before it buffered for ``bufferedMessages()``.
    func next(untilEnd: Bool = false) async throws -> Event {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Event, any Error>) in
            let ready: Result<Event, any Error>? = self.state.withLock { state in
                if untilEnd, let end = state.events.removeEnd() {
                    return .success(.end(end))
                }
                if !untilEnd, let event = state.events.popFirst() {
                    return .success(event)
                }
                if let failure = state.failure { return .failure(failure) }
                state.waitsForEnd = untilEnd
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    /// The next event if it has arrived, without waiting; `nil` when none is buffered.
    func nextIfArrived() -> Event? {
        self.state.withLock { $0.events.popFirst() }
    }

    /// The first message buffered before END, and how many were, for a unary call.
    func bufferedMessages() -> (first: ByteBuffer?, count: Int) {
        self.state.withLock { $0.events.messages }
    }
}
