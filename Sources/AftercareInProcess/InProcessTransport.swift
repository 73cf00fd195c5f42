package import AftercareRPC
import AftercareNIO
import AftercareWire
package import NIOCore
import NIOPosix
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A client and a server transport joined in one process by a socket pair: the whole protocol
/// (bytes, HELLO, calls, flow control, drain) with no listening socket and with the peer identity
/// the test chooses, so most tests run without addresses or certificates.
///
/// ```swift
/// let transport = InProcessTransport()
/// let server = RPCServer(transports: [transport.server], services: [...], configuration: ..., logger: logger)
/// let client = RPCClient(transport: transport.client(), configuration: ..., logger: logger)
/// ```
package struct InProcessTransport: Sendable {
    package let server: InProcessServerTransport

    /// A new pair: one server transport, any number of clients.
    package init() {
        self.server = InProcessServerTransport()
    }

    /// A client transport whose connections reach ``server`` as `peer`.
    package func client(peer: PeerIdentity = .anonymous) -> InProcessClientTransport {
        InProcessClientTransport(server: self.server, peer: peer)
    }
}

/// The server half of an ``InProcessTransport``.
package final class InProcessServerTransport: ServerTransport {
    private enum Phase {
        case waiting([CheckedContinuation<Void, Never>])
        case serving(@Sendable (AcceptedConnection) throws -> Void)
        case stopped
    }

    private let phase = Mutex(Phase.waiting([]))
    private let stopped: EventLoopPromise<Void>

    init() {
        self.stopped = MultiThreadedEventLoopGroup.singleton.any().makePromise()
    }

    deinit {
        if case .stopped = self.phase.withLock({ $0 }) { return }
        self.stopped.succeed()
    }

    package func listen(_ serve: @escaping @Sendable (AcceptedConnection) throws -> Void) async throws {
        let waiters = self.phase.withLock { phase -> [CheckedContinuation<Void, Never>] in
            guard case .waiting(let waiters) = phase else { return [] }
            phase = .serving(serve)
            return waiters
        }
        for waiter in waiters { waiter.resume() }
        try await self.stopped.futureResult.get()
    }

    package func beginGracefulShutdown() {
        let (waiters, first) = self.phase.withLock { phase -> ([CheckedContinuation<Void, Never>], Bool) in
            defer { phase = .stopped }
            switch phase {
            case .waiting(let waiters): return (waiters, true)
            case .serving: return ([], true)
            case .stopped: return ([], false)
            }
        }
        for waiter in waiters { waiter.resume() }
        if first { self.stopped.succeed() }
    }

    /// How the server serves a connection; waits until it listens. `nil` once it stopped.
    func serve() async -> (@Sendable (AcceptedConnection) throws -> Void)? {
        while true {
            let current: (@Sendable (AcceptedConnection) throws -> Void)?? = self.phase.withLock { phase in
                switch phase {
                case .serving(let serve): return .some(serve)
                case .stopped: return .some(nil)
                case .waiting: return nil
                }
            }
            if let current { return current }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let wait = self.phase.withLock { phase in
                    guard case .waiting(var waiters) = phase else { return false }
                    waiters.append(continuation)
                    phase = .waiting(waiters)
                    return true
                }
                if !wait { continuation.resume() }
            }
        }
    }
}

/// The client half of an ``InProcessTransport``.
package struct InProcessClientTransport: ClientTransport {
    let server: InProcessServerTransport
    let peer: PeerIdentity

    package var target: String { "in-process" }

    package func connect(_ configure: @escaping @Sendable (any Channel) throws -> Void) async throws -> any Channel {
        guard let serve = await self.server.serve() else {
            throw InProcessTransportError(message: "the in-process server is not accepting connections")
        }
        let (serverSocket, clientSocket) = try Self.socketPair()
        let group = MultiThreadedEventLoopGroup.singleton
        let peer = self.peer
        _ = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try serve(AcceptedConnection(channel: channel, peer: peer, label: "in-process client"))
                }
            }
            .withConnectedSocket(serverSocket).get()
        return try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try configure(channel)
                }
            }
            .withConnectedSocket(clientSocket).get()
    }

    private static func socketPair() throws -> (NIOBSDSocket.Handle, NIOBSDSocket.Handle) {
        var fds: [Int32] = [-1, -1]
        #if canImport(Glibc)
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0 else {
            throw InProcessTransportError(message: "socketpair failed: errno \(errno)")
        }
        #endif
        return (fds[0], fds[1])
    }
}

/// Why an in-process connection could not be made.
package struct InProcessTransportError: Error, Sendable {
    package var message: String
}
