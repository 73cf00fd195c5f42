import AftercareWire
import NIOCore
import NIOSSL
import NIOTLS

/// Waits for a server-side TLS handshake, refuses it without ALPN `aftercare/1`, and reports the
/// client certificate's identity: its first DNS subject alternative name (WIRE.md §12).
final class TLSIdentityHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let identity: EventLoopPromise<String?>

    init(identity: EventLoopPromise<String?>) {
        self.identity = identity
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted(let negotiated) = event {
            guard negotiated == WireProtocol.alpnID else {
                self.identity.fail(TLSIdentityError(message: "ALPN \(negotiated ?? "none") is not \(WireProtocol.alpnID)"))
                context.close(promise: nil)
                return
            }
            let handler = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self)
            self.identity.succeed(handler?.peerCertificate.flatMap(Self.identity(of:)))
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.identity.fail(TLSIdentityError(message: "the connection closed during the TLS handshake"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.identity.fail(error)
        context.fireErrorCaught(error)
    }

    /// The first DNS subject alternative name.
    static func identity(of certificate: NIOSSLCertificate) -> String? {
        for name in certificate._subjectAlternativeNames() where name.nameType == .dnsName {
            return name.contents.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
        }
        return nil
    }
}

@available(*, unavailable)
extension TLSIdentityHandler: Sendable {}

/// Why a TLS connection was refused after its handshake.
struct TLSIdentityError: Error {
    var message: String
}
