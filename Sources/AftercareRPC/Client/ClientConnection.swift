import AftercareWire
import NIOCore

/// One ready connection as callers see it: opens calls on its ``ClientConnectionHandler``, on the
/// channel's event loop, and waits for what the event loop hands back.
final class ClientConnection: Sendable {
    let channel: any Channel
    private let handler: NIOLoopBound<ClientConnectionHandler>
    /// The server's HELLO.
    let server: HelloFields
    private let configuration: RPCClient.Configuration

    init(channel: any Channel, handler: NIOLoopBound<ClientConnectionHandler>, server: HelloFields, configuration: RPCClient.Configuration) {
        self.channel = channel
        self.handler = handler
        self.server = server
        self.configuration = configuration
    }

    /// Opens a call and runs `body` with it. A caller that is cancelled, or whose `body` returns
    /// before END, gives the call up (CANCEL to the server). A call the connection could not
    /// carry to the server (closed, drained, refused before any answer) throws ``UnsentCall``.
    func call<R: Sendable>(
        _ fields: CallFields,
        _ request: ByteBuffer,
        deadline: ContinuousClock.Instant,
        _ body: @Sendable (ClientCallStream) async throws -> R
    ) async throws -> R {
        let handler = self.handler
        let call = ClientCall(fields, request, deadline: deadline, maxMessageSize: self.configuration.limits.maxMessageSize, connection: handler)
        call.open()
        let stream = ClientCallStream(call: call, window: self.configuration.limits.initialStreamWindow, handler: handler)
        do {
            let result = try await withTaskCancellationHandler {
                try await body(stream)
            } onCancel: {
                stream.giveUp(deadline: deadline)
            }
            if !call.hasEnded { stream.giveUp(deadline: deadline) }
            return result
        } catch let error as RPCError where error.code == .unavailable && error.outcome == .notExecuted && !call.wasAnswered {
            if !call.hasEnded { stream.giveUp(deadline: deadline) }
            throw UnsentCall(error: error)
        } catch {
            if !call.hasEnded { stream.giveUp(deadline: deadline) }
            throw error
        }
    }

    /// Takes no new calls, waits for open ones to end, then closes.
    func closeWhenIdle() async {
        let handler = self.handler
        handler.eventLoop.execute { handler.value.beginClosingWhenIdle() }
        try? await self.channel.closeFuture.get()
    }
}

/// The responses of one client call, read in order; grants flow-control credit as they are read.
struct ClientCallStream: Sendable {
    let call: ClientCall
    let window: UInt32
    let handler: NIOLoopBound<ClientConnectionHandler>

    /// A unary call's one response: waits for END, then checks that exactly one message came.
    func unaryResponse(method: String) async throws -> ByteBuffer {
        let end = try await self.call.next(untilEnd: true)
        guard case .end(let body) = end else { throw RPCError(.internal, "\(method) ended without END", outcome: .unknown) }
        try Self.check(body)
        let messages = self.call.bufferedMessages()
        guard messages.count <= 1 else {
            throw RPCError(.internal, "\(method) sent more than one response", outcome: .executed)
        }
        guard let message = messages.first else {
            throw RPCError(.internal, "\(method) ended OK without a response", outcome: .executed)
        }
        return message
    }

    /// The next response message, or `nil` once the call ended with `OK`. A call that ended with
    /// another status throws it as an ``RPCError``.
    func next(consumed: inout UInt32) async throws -> ByteBuffer? {
        try self.read(try await self.call.next(), consumed: &consumed)
    }

    /// The next response message if it has arrived, without waiting: `.none` when nothing is
    /// buffered, `.some(nil)` once the call ended with `OK` (a call that ended with another status
    /// throws it).
    func nextIfArrived(consumed: inout UInt32) throws -> ByteBuffer?? {
        guard let event = self.call.nextIfArrived() else { return .none }
        return .some(try self.read(event, consumed: &consumed))
    }

    private func read(_ event: ClientCall.Event, consumed: inout UInt32) throws -> ByteBuffer? {
        switch event {
        case .message(let message):
            consumed += 1
            if consumed >= max(1, self.window / 2) {
                let increment = consumed
                consumed = 0
                let (handler, call) = (self.handler, self.call)
                handler.eventLoop.execute { handler.value.grant(call, increment) }
            }
            return message
        case .end(let body):
            try Self.check(body)
            return nil
        }
    }

    /// Gives the call up: CANCEL to the server; the caller sees DEADLINE_EXCEEDED or CANCELLED.
    func giveUp(deadline: ContinuousClock.Instant) {
        let reason: CancelReason = ContinuousClock.now >= deadline ? .deadlineExceeded : .cancelledByCaller
        let (handler, call) = (self.handler, self.call)
        handler.eventLoop.execute { handler.value.cancel(call, reason) }
    }

    private static func check(_ end: EndBody) throws {
        guard end.status == RPCError.Code.ok.rawValue else {
            throw RPCError(
                RPCError.Code(wire: end.status),
                end.message,
                outcome: CallOutcome(rawValue: end.outcome) ?? .unknown,
                retryAfter: end.retryAfterMs == WireProtocol.noRetryHint ? nil : .milliseconds(end.retryAfterMs)
            )
        }
    }
}
