import AftercareClient
import ArgumentParser
import Foundation

/// How the CLI reaches the gateway, and as whom.
struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A `make run` run directory: its run/gateway.sock and certs/ (ca, cli). Default: $AFTERCARE_RUN_DIR.", valueName: "dir"))
    var runDir: String?

    @Option(help: ArgumentHelp("The gateway: unix:<path> or tcp:<host>:<port>; several gateways joined by commas (default: $AFTERCARE_GATEWAY, then unix:/run/aftercare/gateway.sock).", valueName: "address"))
    var gateway: String?

    @Option(help: ArgumentHelp("The CA the gateway's certificate chains to (PEM).", valueName: "file"))
    var ca: String?

    @Option(help: ArgumentHelp("The operator certificate and key (PEM).", valueName: "file"))
    var cert: String?

    @Option(help: ArgumentHelp("The operator certificate's key (PEM).", valueName: "file"))
    var key: String?

    @Option(name: .customLong("operator"), help: ArgumentHelp("Who acts, recorded with every action (default: $AFTERCARE_OPERATOR, then $USER).", valueName: "name"))
    var operatorName: String?

    @Option(help: ArgumentHelp("Each call's deadline, in seconds (default 10; a large reconcile may need more).", valueName: "seconds"))
    var timeout: Int = 10

    /// The client configuration these options describe.
    func configuration() throws -> AftercareClient.Configuration {
        let environment = ProcessInfo.processInfo.environment
        let name = self.operatorName ?? environment["AFTERCARE_OPERATOR"] ?? environment["USER"] ?? "oncall"
        var configuration: AftercareClient.Configuration
        let runDir = self.runDir ?? environment["AFTERCARE_RUN_DIR"]
        if let runDir, self.gateway == nil {
            configuration = .runDirectory(runDir, certificate: "cli")
        } else {
            let address = self.gateway ?? environment["AFTERCARE_GATEWAY"] ?? "unix:/run/aftercare/gateway.sock"
            guard let endpoints = AftercareClient.Endpoint.list(address) else {
                throw ValidationError("--gateway: expected unix:<path> or tcp:<host>:<port>, or several joined by commas, got \(address)")
            }
            let certs = runDir.map { "\($0)/certs" } ?? "/etc/aftercare/certs"
            configuration = AftercareClient.Configuration(
                endpoints: endpoints,
                tls: .init(caFile: "\(certs)/ca.pem", certificateFile: "\(certs)/cli.pem", privateKeyFile: "\(certs)/cli.key"))
        }
        if let ca { configuration.tls?.caFile = ca }
        if let cert { configuration.tls?.certificateFile = cert }
        if let key { configuration.tls?.privateKeyFile = key }
        configuration.party = .operator(name)
        configuration.defaultTimeout = .seconds(max(1, self.timeout))
        configuration.name = "aftercare-cli"
        return configuration
    }

    /// Runs `body` with a client of the gateway; its errors end the command as a ``CLIError``, which
    /// argument-parser prints as `Error: CODE: …` (exit status 1).
    func withClient<Result: Sendable>(_ body: @Sendable (AftercareClient) async throws -> Result) async throws -> Result {
        let configuration = try self.configuration()
        if let tls = configuration.tls {
            for file in [tls.caFile, tls.certificateFile, tls.privateKeyFile] where !FileManager.default.isReadableFile(atPath: file) {
                throw CLIError("cannot read \(file) (give --run-dir, or --ca, --cert and --key)")
            }
        }
        do {
            return try await AftercareClient.withClient(configuration, body)
        } catch let error as AftercareError {
            throw CLIError("\(error)")
        }
    }
}

/// A failure the CLI reports in one line and exits 1 with.
struct CLIError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
