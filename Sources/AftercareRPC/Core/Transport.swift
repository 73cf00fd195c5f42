public import NIOCore

/// One accepted connection, as a server transport hands it to the RPC layer: a channel whose
/// pipeline reads and writes the connection's bytes (under TLS where configured; the protocol
/// handler decodes and encodes the frames), and who the peer is as far as the accept told.
///
/// A TLS transport learns the client certificate's identity only after the handshake; it then
/// sends ``PeerCertificateIdentified`` up the pipeline, before any frame.
public struct AcceptedConnection: Sendable {
    public var channel: any Channel
    public var peer: PeerIdentity
    /// A short description for logs, e.g. the socket path or address.
    public var label: String

    public init(channel: any Channel, peer: PeerIdentity, label: String) {
        self.channel = channel
        self.peer = peer
        self.label = label
    }
}

/// Accepts connections for an ``RPCServer``.
public protocol ServerTransport: Sendable {
    /// Accepts connections until ``beginGracefulShutdown()``. For each, calls `serve` on the
    /// connection's event loop before it reads anything (serve adds the protocol handler at the end
    /// of its pipeline; a connection whose `serve` throws is closed). Returns once the listener is
    /// closed; the connections it accepted live on until the server closes them.
    func listen(_ serve: @escaping @Sendable (AcceptedConnection) throws -> Void) async throws
    /// Stops accepting new connections; open ones stay.
    func beginGracefulShutdown()
}

/// Opens connections for an ``RPCClient``.
public protocol ClientTransport: Sendable {
    /// Opens one connection: a channel whose pipeline reads and writes the connection's bytes
    /// (under TLS where configured). `configure` runs on the channel's
    /// event loop before the channel becomes active, to add the protocol handler at the end of the
    /// pipeline; the channel is returned once connected.
    func connect(_ configure: @escaping @Sendable (any Channel) throws -> Void) async throws -> any Channel
    /// A description of where it connects, for errors and logs.
    var target: String { get }
}
