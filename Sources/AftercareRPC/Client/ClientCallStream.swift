import AftercareWire
import NIOCore

/// The responses of one client call, read in order; grants flow-control credit as they are read.
struct ClientCallStream: Sendable {
    let streamID: UInt32
    let inbox: CallInbox
    let window: UInt32
    /// Queues frames on the call's connection.
    let send: @Sendable ([Frame]) -> Void

    /// The next response message, or `nil` once the call ended with `OK`. A call that ended with
    /// another status throws it as an ``RPCError``.
    func next(consumed: inout UInt32) async throws -> ByteBuffer? {
        switch try await self.inbox.next() {
        case .message(let message):
            consumed += 1
            if consumed >= max(1, self.window / 2) {
                let increment = consumed
                consumed = 0
                self.send([.credit(streamID: self.streamID, increment: increment)])
            }
            return message
        case .end(let end):
            guard end.status == RPCError.Code.ok.rawValue else {
                throw RPCError(
                    RPCError.Code(wire: end.status),
                    end.message,
                    outcome: CallOutcome(rawValue: end.outcome) ?? .unknown,
                    retryAfter: end.retryAfterMs == WireProtocol.noRetryHint ? nil : .milliseconds(end.retryAfterMs)
                )
            }
            return nil
        }
    }

    /// Tells the server the caller gave up.
    func cancel(_ reason: CancelReason) {
        self.send([.cancel(streamID: self.streamID, reason: reason)])
    }
}
