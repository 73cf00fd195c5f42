import AftercareRPC
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// Reads who is on the other end of a connection: uid and gid from `SO_PEERCRED` on a Unix socket.
enum PeerCredentials {
    /// The peer's uid and gid, or an anonymous identity where the socket has none (TCP).
    static func read(from channel: any Channel) async -> PeerIdentity {
        #if canImport(Glibc)
        guard case .unixDomainSocket = channel.localAddress, let provider = channel as? any SocketOptionProvider else {
            return .anonymous
        }
        guard let credentials = try? await Self.peerCredentials(provider).get() else { return .anonymous }
        return PeerIdentity(uid: credentials.uid, gid: credentials.gid)
        #else
        return .anonymous
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
