import AftercareInProcess
package import AftercareNIO
package import AftercareRPC
import Logging

/// Every way a client can reach a server: the suite runs its scenarios over each.
package enum TestTransport: String, CaseIterable, Sendable, CustomStringConvertible {
    case inProcess
    case unix
    case unixTLS
    case unixMutualTLS
    case tcp
    case tcpTLS
    case tcpMutualTLS

    package var description: String { self.rawValue }

    package var usesTLS: Bool { [.unixTLS, .unixMutualTLS, .tcpTLS, .tcpMutualTLS].contains(self) }
    package var isMutual: Bool { self == .unixMutualTLS || self == .tcpMutualTLS }
    package var isUnix: Bool { [.unix, .unixTLS, .unixMutualTLS].contains(self) }

    /// Binds a server transport for service `serverName` (whose certificate it presents).
    func makeServer(in directory: TemporaryDirectory, serverName: String, logger: Logger) async throws -> ServerEndpoint {
        if self == .inProcess {
            let transport = InProcessTransport()
            return ServerEndpoint(transport: transport.server, inProcess: transport, address: nil)
        }
        let certificates = try await SharedCertificates.get()
        let tls = self.usesTLS
            ? ServerTLS(
                certificateFile: certificates.certificateFile(serverName),
                privateKeyFile: certificates.keyFile(serverName),
                trustRootsFile: certificates.caFile,
                requireClientCertificate: self.isMutual
            ) : nil
        let address: TransportAddress = self.isUnix ? .unix(path: directory.appending("run/\(serverName).sock")) : .tcp(host: "127.0.0.1", port: 0)
        let transport = try await NIOServerTransport.bind(to: address, tls: tls, logger: logger)
        return ServerEndpoint(transport: transport, inProcess: nil, address: transport.address)
    }
}

/// A bound server transport and how clients reach it.
package struct ServerEndpoint: Sendable {
    package let transport: any ServerTransport
    let inProcess: InProcessTransport?
    /// The socket address, for socket transports.
    package let address: TransportAddress?

    /// A client transport reaching this server as `clientName` (its certificate for mutual TLS,
    /// its identity in process), verifying the server as `serverName`.
    package func clientTransport(
        _ kind: TestTransport, clientName: String, serverName: String, certificates: DevelopmentCertificates? = nil
    ) async throws -> any ClientTransport {
        if let inProcess {
            return inProcess.client(peer: PeerIdentity(certificateName: DevelopmentCertificates.dnsName(clientName)))
        }
        let shared = try await SharedCertificates.get()
        let certificates = certificates ?? shared
        let tls = kind.usesTLS
            ? ClientTLS(
                trustRootsFile: certificates.caFile,
                serverName: DevelopmentCertificates.dnsName(serverName),
                certificateFile: kind.isMutual ? certificates.certificateFile(clientName) : nil,
                privateKeyFile: kind.isMutual ? certificates.keyFile(clientName) : nil
            ) : nil
        return NIOClientTransport(address: self.address!, tls: tls)
    }
}
