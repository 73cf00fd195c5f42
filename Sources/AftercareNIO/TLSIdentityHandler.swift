import AftercareRPC
import AftercareWire
import NIOCore
import NIOSSL
import NIOTLS
import Logging

/// Refuses a server-side TLS connection whose handshake did not negotiate ALPN `aftercare/1`, and
/// reports the client certificate's identity up the pipeline (``PeerCertificateIdentified``): its
/// first DNS subject alternative name, or none — a certificate without one gives its holder no name
/// principal, whatever its common name says (WIRE.md §12).
final class TLSIdentityHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let logger: Logger?

    init(logger: Logger? = nil) {
        self.logger = logger
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted(let negotiated) = event {
            guard negotiated == WireProtocol.alpnID else {
                self.logger?.info("TLS connection refused: ALPN \(negotiated ?? "none") is not \(WireProtocol.alpnID)")
                context.close(promise: nil)
                return
            }
            context.fireUserInboundEventTriggered(event)
            let handler = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self)
            let name = handler?.peerCertificate.flatMap(Self.identity(of:))
            context.fireUserInboundEventTriggered(PeerCertificateIdentified(name: name))
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.logger?.info("TLS connection refused: \(error)")
        context.fireErrorCaught(error)
        context.close(promise: nil)
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
