import AftercareWire
import NIOCore
import NIOTLS

/// Closes a client's TLS connection whose handshake did not negotiate ALPN `aftercare/1`
/// (WIRE.md §12); the server side checks the same in ``TLSIdentityHandler``.
final class ALPNRequirementHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted(let negotiated) = event, negotiated != WireProtocol.alpnID {
            context.fireErrorCaught(TLSIdentityError(message: "the server negotiated ALPN \(negotiated ?? "none"), not \(WireProtocol.alpnID)"))
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}

@available(*, unavailable)
extension ALPNRequirementHandler: Sendable {}

/// Why a TLS connection was refused after its handshake.
struct TLSIdentityError: Error, CustomStringConvertible {
    var message: String
    var description: String { self.message }
}
