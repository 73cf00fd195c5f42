public import AftercareRPC
public import AftercareWire
public import Logging
public import NIOCore
public import NIOPosix
import NIOSSL
import Synchronization

/// Accepts connections on a Unix socket or a TCP port, plaintext, TLS or mutual TLS.
///
/// ``bind(to:tls:maxFrameSize:eventLoopGroup:logger:)`` listens at once (so the address is taken
/// or refused before anything else starts); ``listen(_:)`` then serves connections. Every bound
/// transport must be listened on: ``listen(_:)`` is what closes the socket in the end.
public final class NIOServerTransport: ServerTransport {
    private typealias Connection = (channel: NIOAsyncChannel<Frame, Frame>, identity: EventLoopFuture<String?>?)

    private let listener: NIOAsyncChannel<Connection, Never>
    private let unserved: UnservedConnections
    /// The socket file this transport made, for removal when it stops.
    private let socketFile: UnixSocketFile.Identity?
    private let logger: Logger
    /// Where the server listens; for TCP port 0, the port it got.
    public let address: TransportAddress

    private init(
        listener: NIOAsyncChannel<Connection, Never>,
        unserved: UnservedConnections,
        socketFile: UnixSocketFile.Identity?,
        address: TransportAddress,
        logger: Logger
    ) {
        self.listener = listener
        self.unserved = unserved
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
    ///   - maxFrameSize: the largest frame accepted; keep it equal to the server's limits.
    public static func bind(
        to address: TransportAddress,
        tls: ServerTLS? = nil,
        maxFrameSize: UInt32 = WireLimits.defaults.maxFrameSize,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) async throws -> NIOServerTransport {
        let sslContext = try tls?.makeContext()
        let unserved = UnservedConnections()
        let bootstrap = ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        let initializer: @Sendable (any Channel) -> EventLoopFuture<Connection> = { channel in
            channel.eventLoop.makeCompletedFuture {
                var identity: EventLoopFuture<String?>?
                if let sslContext {
                    let promise = channel.eventLoop.makePromise(of: String?.self)
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    try channel.pipeline.syncOperations.addHandler(TLSIdentityHandler(identity: promise))
                    identity = promise.futureResult
                }
                try FramePipeline.addFrameCodec(to: channel, isServer: true, maxFrameSize: maxFrameSize)
                let connection = try NIOAsyncChannel<Frame, Frame>(wrappingChannelSynchronously: channel)
                unserved.add(connection)
                return (connection, identity)
            }
        }
        let listener: NIOAsyncChannel<Connection, Never>
        let bound: TransportAddress
        var socketFile: UnixSocketFile.Identity?
        switch address {
        case .unix(let path):
            try UnixSocketFile.prepare(path)
            listener = try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: false, childChannelInitializer: initializer)
            try UnixSocketFile.restrict(path)
            socketFile = UnixSocketFile.identity(path)
            bound = address
        case .tcp(let host, let port):
            listener = try await bootstrap.bind(host: host, port: port, childChannelInitializer: initializer)
            bound = .tcp(host: host, port: listener.channel.localAddress?.port ?? port)
        }
        logger.info("listening", metadata: ["rpc.address": "\(bound)", "rpc.tls": "\(tls == nil ? "off" : tls!.requireClientCertificate ? "mutual" : "on")"])
        return NIOServerTransport(listener: listener, unserved: unserved, socketFile: socketFile, address: bound, logger: logger)
    }

    public func listen(_ handle: @escaping @Sendable (FrameConnection) async -> Void) async throws {
        try await self.listener.executeThenClose { connections in
            try await withThrowingDiscardingTaskGroup { group in
                for try await connection in connections {
                    guard self.unserved.remove(connection.channel) else { continue }
                    group.addTask {
                        await self.serve(connection, handle)
                    }
                }
            }
        }
        await self.unserved.closeAll()
        if case .unix(let path) = self.address, let socketFile = self.socketFile {
            UnixSocketFile.remove(path, ifStill: socketFile)
        }
    }

    private func serve(_ connection: Connection, _ handle: @Sendable (FrameConnection) async -> Void) async {
        let channel = connection.channel.channel
        var peer = await PeerCredentials.read(from: channel)
        let label = "\(channel.remoteAddress.map { "\($0)" } ?? "\(self.address)")"
        if let identity = connection.identity {
            do {
                peer.certificateName = try await identity.get()
            } catch {
                self.logger.info("TLS connection refused", metadata: ["rpc.connection": "\(label)", "error": "\(error)"])
                try? await connection.channel.executeThenClose { _, _ in }
                return
            }
        }
        do {
            try await connection.channel.executeThenClose { inbound, outbound in
                await handle(FrameConnection(inbound: inbound, outbound: NIOFrameWriter(writer: outbound, channel: channel), peer: peer, label: label))
            }
        } catch {
            self.logger.debug("connection closed with an error", metadata: ["rpc.connection": "\(label)", "error": "\(error)"])
        }
    }

    public func beginGracefulShutdown() {
        self.listener.channel.close(promise: nil)
    }
}

/// Connections accepted but not yet handed to ``NIOServerTransport/listen(_:)``.
///
/// A connection accepted while the listener closes may never come out of its stream (a known
/// limit of NIO's async server bootstrap); holding it here lets `listen` close it properly
/// instead of dropping a `NIOAsyncChannel` that was never closed.
private final class UnservedConnections: Sendable {
    private let connections = Mutex<[ObjectIdentifier: NIOAsyncChannel<Frame, Frame>]>([:])

    func add(_ connection: NIOAsyncChannel<Frame, Frame>) {
        self.connections.withLock { $0[ObjectIdentifier(connection.channel)] = connection }
    }

    /// Takes a connection out for serving; `false` if it was closed already.
    func remove(_ connection: NIOAsyncChannel<Frame, Frame>) -> Bool {
        self.connections.withLock { $0.removeValue(forKey: ObjectIdentifier(connection.channel)) != nil }
    }

    /// Closes every connection nobody served.
    func closeAll() async {
        let left = self.connections.withLock { connections in
            defer { connections = [:] }
            return Array(connections.values)
        }
        for connection in left {
            try? await connection.executeThenClose { _, _ in }
        }
    }
}
