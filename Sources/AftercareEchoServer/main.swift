import AftercareBuildInfo
import AftercareEcho
import AftercareNIO
import AftercareRPC
public import ArgumentParser
import Logging
import ServiceLifecycle
import UnixSignals

/// `aftercare-echo`: the echo service on a Unix socket or TCP port, for interop tests, benchmarks
/// and trying the protocol by hand. Stops gracefully (drains) on SIGTERM or SIGINT.
@main
struct EchoServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aftercare-echo",
        abstract: "Serve the Aftercare echo service (proto-spec/echo.proto)."
    )

    @Option(help: "Listen on this Unix socket path.")
    var socket: String?

    @Option(help: "Listen on this TCP address, host:port.")
    var tcp: String?

    @Option(help: "The server's certificate (PEM); enables TLS.")
    var tlsCert: String?

    @Option(help: "The server's private key (PEM).")
    var tlsKey: String?

    @Option(help: "The CA client certificates must chain to; with it, TLS is mutual.")
    var tlsCA: String?

    @Option(help: "Admit Unix-socket peers with this uid only (repeatable).")
    var allowUID: [UInt32] = []

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func validate() throws {
        guard self.socket != nil || self.tcp != nil else {
            throw ValidationError("give --socket or --tcp")
        }
        guard (self.tlsCert == nil) == (self.tlsKey == nil) else {
            throw ValidationError("--tls-cert and --tls-key go together")
        }
        guard self.tlsCA == nil || self.tlsCert != nil else {
            throw ValidationError("--tls-ca needs --tls-cert and --tls-key")
        }
    }

    func run() async throws {
        let level = self.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "aftercare-echo")
        let tls = self.tlsCert.map { certificate in
            ServerTLS(
                certificateFile: certificate,
                privateKeyFile: self.tlsKey!,
                trustRootsFile: self.tlsCA ?? certificate,
                requireClientCertificate: self.tlsCA != nil
            )
        }
        var transports: [any ServerTransport] = []
        if let socket {
            transports.append(try await NIOServerTransport.bind(to: .unix(path: socket), tls: tls, logger: logger))
        }
        if let tcp {
            guard let colon = tcp.lastIndex(of: ":"), let port = Int(tcp[tcp.index(after: colon)...]) else {
                throw ValidationError("--tcp must be host:port, got \(tcp)")
            }
            transports.append(try await NIOServerTransport.bind(to: .tcp(host: String(tcp[..<colon]), port: port), tls: tls, logger: logger))
        }
        let server = RPCServer(
            transports: transports,
            services: [EchoService()],
            configuration: .init(name: "aftercare-echo", build: BuildInfo.version, allowedPeerUIDs: self.allowUID.isEmpty ? nil : Set(self.allowUID)),
            logger: logger
        )
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: server)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        try await group.run()
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
