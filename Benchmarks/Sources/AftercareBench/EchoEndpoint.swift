import AftercareNIO
import AftercareRPC
import BenchEcho
import Logging

/// `EchoService` served by an `RPCServer` with its default configuration on a Unix socket in this
/// process, plaintext or with mutual TLS, and the clients that call it.
struct EchoEndpoint: Sendable {
    let socketPath: String
    let security: Security
    let certificates: Certificates
    let configuration: RPCServer.Configuration
    let server: Running

    static var logger: Logger {
        var logger = Logger(label: "aftercare-bench")
        logger.logLevel = .error
        return logger
    }

    /// Binds the socket and starts serving.
    static func start(socketPath: String, security: Security, certificates: Certificates) async throws -> EchoEndpoint {
        let transport = try await NIOServerTransport.bind(
            to: .unix(path: socketPath),
            tls: security == .mutualTLS
                ? ServerTLS(certificateFile: certificates.serverCertificate, privateKeyFile: certificates.serverKey,
                            trustRootsFile: certificates.ca)
                : nil,
            logger: Self.logger)
        let configuration = RPCServer.Configuration(name: "aftercare-bench-load")
        let server = RPCServer(transports: [transport], services: [EchoService()], configuration: configuration, logger: Self.logger)
        return EchoEndpoint(socketPath: socketPath, security: security, certificates: certificates, configuration: configuration,
                            server: Running(server))
    }

    /// A client of its own connection (made by its first call), already running.
    func makeClient(name: String) -> (client: RPCClient, running: Running) {
        let client = RPCClient(
            transport: NIOClientTransport(
                address: .unix(path: self.socketPath),
                tls: self.security == .mutualTLS
                    ? ClientTLS(trustRootsFile: self.certificates.ca, serverName: Certificates.serverName,
                                certificateFile: self.certificates.clientCertificate, privateKeyFile: self.certificates.clientKey)
                    : nil),
            configuration: .init(name: name), logger: Self.logger)
        return (client, Running(client))
    }
}
