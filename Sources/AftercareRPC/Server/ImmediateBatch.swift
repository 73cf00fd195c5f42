import AftercareWire
import NIOCore

/// Calls of one read burst, beyond those answered on the event loop, whose handlers answer
/// without suspending: they run one after another in one task in the pool — not a task each — and
/// their replies go back to the event loop in one hop.
struct ImmediateBatch: Sendable {
    typealias Handler = @Sendable (ByteBuffer, ServerContext) throws -> ByteBuffer

    let calls: [(call: ServerCall, handler: Handler)]
    let connection: NIOLoopBound<ServerConnectionHandler>

    /// Runs every call's handler, hands the replies to the connection, then records each call.
    func run() {
        let answered = self.calls.map { call, handler in (call, call.answer(handler)) }
        let connection = self.connection
        connection.eventLoop.execute {
            for (call, completion) in answered {
                connection.value.finish(call.started.streamID, completion, maxFrameSize: call.started.clientLimits.maxFrameSize)
            }
        }
        for (call, completion) in answered { call.finished(completion.end) }
    }
}
