public import AftercareRPC
public import NIOCore
public import NIOPosix
import NIOSSL

/// Opens connections to a Unix socket or a TCP address, plaintext, TLS or mutual TLS. With TLS
/// the server's certificate is verified against ``ClientTLS/serverName`` over either transport.
public struct NIOClientTransport: ClientTransport {
    public let address: TransportAddress
    private let tls: ClientTLS?
    private let eventLoopGroup: any EventLoopGroup

    /// A transport to `address`; `tls` `nil` for plaintext.
    public init(
        address: TransportAddress,
        tls: ClientTLS? = nil,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.address = address
        self.tls = tls
        self.eventLoopGroup = eventLoopGroup
    }

    public var target: String {
        if let tls { return "\(tls.serverName) at \(self.address)" }
        return "\(self.address)"
    }

    public func connect(_ configure: @escaping @Sendable (any Channel) throws -> Void) async throws -> any Channel {
        let sslContext = try self.tls?.makeContext()
        let serverName = self.tls?.serverName
        let bootstrap = ClientBootstrap(group: self.eventLoopGroup)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: serverName))
                        try channel.pipeline.syncOperations.addHandler(ALPNRequirementHandler())
                    }
                    try configure(channel)
                }
            }
        switch self.address {
        case .unix(let path):
            return try await bootstrap.connect(unixDomainSocketPath: path).get()
        case .tcp(let host, let port):
            return try await bootstrap.connect(host: host, port: port).get()
        }
    }
}
