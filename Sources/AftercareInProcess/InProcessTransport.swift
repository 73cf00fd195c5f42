public import AftercareRPC
import AftercareWire

/// A client and a server transport joined in memory: the whole protocol (HELLO, calls, flow
/// control, drain) minus the bytes, so most tests run without sockets.
///
/// ```swift
/// let transport = InProcessTransport()
/// let server = RPCServer(transports: [transport.server], services: [...], configuration: ..., logger: logger)
/// let client = RPCClient(transport: transport.client(), configuration: ..., logger: logger)
/// ```
public struct InProcessTransport: Sendable {
    public let server: InProcessServerTransport

/// A new pair: one server transport, any number of clients.
    public init() {
        self.server = InProcessServerTransport()
    }

    /// A client transport whose connections reach ``server`` as `peer`.
    public func client(peer: PeerIdentity = .anonymous) -> InProcessClientTransport {
        InProcessClientTransport(server: self.server, peer: peer)
    }
}

/// The server half of an ``InProcessTransport``.
public struct InProcessServerTransport: ServerTransport {
    private let incoming: AsyncStream<FrameConnection>
    private let continuation: AsyncStream<FrameConnection>.Continuation

    init() {
        (self.incoming, self.continuation) = AsyncStream.makeStream()
    }

    public func listen(_ handle: @escaping @Sendable (FrameConnection) async -> Void) async throws {
        await withDiscardingTaskGroup { group in
            for await connection in self.incoming {
                group.addTask { await handle(connection) }
            }
        }
    }

    public func beginGracefulShutdown() {
        self.continuation.finish()
    }

    /// Hands a connection to the listening server; `false` once it stopped accepting.
    func accept(_ connection: FrameConnection) -> Bool {
        if case .enqueued = self.continuation.yield(connection) { return true }
        return false
    }
}

/// The client half of an ``InProcessTransport``.
public struct InProcessClientTransport: ClientTransport {
    let server: InProcessServerTransport
    let peer: PeerIdentity

    public var target: String { "in-process" }

    public func withConnection(_ body: @escaping @Sendable (FrameConnection) async throws -> Void) async throws {
        let pipe = FramePipe()
        let serverSide = FrameConnection(inbound: pipe.toServer, outbound: pipe.serverWriter, peer: self.peer, label: "in-process client")
        guard self.server.accept(serverSide) else {
            pipe.close()
            throw InProcessTransportError(message: "the in-process server is not accepting connections")
        }
        defer { pipe.close() }
        try await body(FrameConnection(inbound: pipe.toClient, outbound: pipe.clientWriter, peer: .anonymous, label: "in-process server"))
    }
}

/// Why an in-process connection could not be made.
public struct InProcessTransportError: Error, Sendable {
    public var message: String
}
