public import AftercareWire

/// Where a connection's outbound frames go. Safe to call from many tasks; the frames of one call
/// are written by one task in order.
public protocol FrameWriter: Sendable {
    /// Writes and flushes frames, in order.
    func write(contentsOf frames: [Frame]) async throws
    /// Closes the connection once what was written has been sent.
    func close() async
}

/// One established connection, as a transport hands it to the RPC layer: frames in, frames out,
/// and who the peer is.
public struct FrameConnection: Sendable {
    public var inbound: any AsyncSequence<Frame, any Error> & Sendable
    public var outbound: any FrameWriter
    public var peer: PeerIdentity
    /// A short description for logs, e.g. the socket path or address.
    public var label: String

    public init(inbound: any AsyncSequence<Frame, any Error> & Sendable, outbound: any FrameWriter, peer: PeerIdentity, label: String) {
        self.inbound = inbound
        self.outbound = outbound
        self.peer = peer
        self.label = label
    }
}

/// Accepts connections for an ``RPCServer``.
public protocol ServerTransport: Sendable {
    /// Accepts connections until ``beginGracefulShutdown()``, calling `handle` for each one
    /// concurrently and returning once every handler has returned.
    func listen(_ handle: @escaping @Sendable (FrameConnection) async -> Void) async throws
    /// Stops accepting new connections; open ones stay until their handlers return.
    func beginGracefulShutdown()
}

/// Opens connections for an ``RPCClient``.
public protocol ClientTransport: Sendable {
    /// Opens one connection and runs `body` with it; the connection closes when `body` returns.
    func withConnection(_ body: @escaping @Sendable (FrameConnection) async throws -> Void) async throws
    /// A description of where it connects, for errors and logs.
    var target: String { get }
}
