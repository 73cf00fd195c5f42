import AftercareRPC
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// Reads who is on the other end of a connection: uid and gid from `SO_PEERCRED` on a Unix socket.
enum PeerCredentials {
    /// The peer's uid and gid, or an anonymous identity where the socket has none (TCP). Call on
    /// the channel's event loop.
    static func read(from channel: any Channel) -> EventLoopFuture<PeerIdentity> {
        #if canImport(Glibc)
        guard case .unixDomainSocket = channel.localAddress, let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeSucceededFuture(.anonymous)
        }
        return Self.peerCredentials(provider)
            .map { PeerIdentity(uid: $0.uid, gid: $0.gid) }
            .recover { _ in .anonymous }
        #else
        return channel.eventLoop.makeSucceededFuture(.anonymous)
        #endif
    }

    #if canImport(Glibc)
    /// Linux's `struct ucred`, which Glibc's module map hides behind `_GNU_SOURCE`.
    private struct UCred: Sendable {
        var pid: Int32 = 0
        var uid: UInt32 = 0
        var gid: UInt32 = 0
    }

    private static func peerCredentials(_ provider: any SocketOptionProvider) -> EventLoopFuture<UCred> {
        provider.unsafeGetSocketOption(level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
    }
    #endif
}
