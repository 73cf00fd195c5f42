public import AftercareRPC
public import Logging
public import NIOCore
public import NIOPosix
import NIOSSL
import Synchronization

/// Accepts connections on a Unix socket or a TCP port, plaintext, TLS or mutual TLS.
///
/// ``bind(to:tls:eventLoopGroup:logger:)`` listens at once (so the address is taken
/// or refused before anything else starts); ``listen(_:)`` then serves connections. Every bound
/// transport must be listened on: ``listen(_:)`` is what removes the socket file in the end.
public final class NIOServerTransport: ServerTransport {
    private let listener: any Channel
    /// Completed by ``listen(_:)``; connections accepted before wait for it.
    private let serving: EventLoopPromise<@Sendable (AcceptedConnection) throws -> Void>
    /// Whether ``serving`` is completed: by ``listen(_:)``, or failed when the transport goes away
    /// without it.
    private let servingCompleted = Mutex(false)
    /// The socket file this transport made, for removal when it stops.
    private let socketFile: UnixSocketFile.Identity?
    private let logger: Logger
    /// Where the server listens; for TCP port 0, the port it got.
    public let address: TransportAddress

    private init(
        listener: any Channel,
        serving: EventLoopPromise<@Sendable (AcceptedConnection) throws -> Void>,
        socketFile: UnixSocketFile.Identity?,
        address: TransportAddress,
        logger: Logger
    ) {
        self.listener = listener
        self.serving = serving
        self.socketFile = socketFile
        self.address = address
        self.logger = logger
    }

    /// Binds and listens.
    ///
    /// - Parameters:
    ///   - address: a Unix socket path (its directory is made with mode 0750 and the socket set
    ///     to 0660; a stale socket is replaced, one in use refused) or a TCP host and port.
    ///   - tls: `nil` for plaintext.
    public static func bind(
        to address: TransportAddress,
        tls: ServerTLS? = nil,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) async throws -> NIOServerTransport {
        let sslContext = try tls?.makeContext()
        let serving = eventLoopGroup.any().makePromise(of: (@Sendable (AcceptedConnection) throws -> Void).self)
        let bootstrap = ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                let label = "\(channel.remoteAddress.map { "\($0)" } ?? "\(address)")"
                do {
                    let handlers = channel.pipeline.syncOperations
                    if let sslContext {
                        try handlers.addHandler(NIOSSLServerHandler(context: sslContext))
                        try handlers.addHandler(TLSIdentityHandler(logger: logger))
                    }
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
                return PeerCredentials.read(from: channel)
                    .and(serving.futureResult.hop(to: channel.eventLoop))
                    .flatMapThrowing { peer, serve in
                        try serve(AcceptedConnection(channel: channel, peer: peer, label: label))
                    }
            }
        let listener: any Channel
        let bound: TransportAddress
        var socketFile: UnixSocketFile.Identity?
        do {
            (listener, bound, socketFile) = try await Self.bind(bootstrap, to: address)
        } catch {
            serving.fail(error)
            throw error
        }
        logger.info("listening", metadata: ["rpc.address": "\(bound)", "rpc.tls": "\(tls == nil ? "off" : tls!.requireClientCertificate ? "mutual" : "on")"])
        return NIOServerTransport(listener: listener, serving: serving, socketFile: socketFile, address: bound, logger: logger)
    }

    private static func bind(_ bootstrap: ServerBootstrap, to address: TransportAddress) async throws -> (any Channel, TransportAddress, UnixSocketFile.Identity?) {
        let listener: any Channel
        let bound: TransportAddress
        var socketFile: UnixSocketFile.Identity?
        switch address {
        case .unix(let path):
            try UnixSocketFile.prepare(path)
            listener = try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: false).get()
            try UnixSocketFile.restrict(path)
            socketFile = UnixSocketFile.identity(path)
            bound = address
        case .tcp(let host, let port):
            listener = try await bootstrap.bind(host: host, port: port).get()
            bound = .tcp(host: host, port: listener.localAddress?.port ?? port)
        }
        return (listener, bound, socketFile)
    }

    deinit {
        if self.completeServing() {
            self.serving.fail(ChannelError.ioOnClosedChannel)
        }
    }

    /// Marks ``serving`` completed; `false` if it already was.
    private func completeServing() -> Bool {
        self.servingCompleted.withLock { completed in
            defer { completed = true }
            return !completed
        }
    }

    public func listen(_ serve: @escaping @Sendable (AcceptedConnection) throws -> Void) async throws {
        guard self.completeServing() else { preconditionFailure("a NIOServerTransport is listened on once") }
        self.serving.succeed(serve)
        try? await self.listener.closeFuture.get()
        if case .unix(let path) = self.address, let socketFile = self.socketFile {
            UnixSocketFile.remove(path, ifStill: socketFile)
        }
    }

    public func beginGracefulShutdown() {
        self.listener.close(promise: nil)
    }
}
