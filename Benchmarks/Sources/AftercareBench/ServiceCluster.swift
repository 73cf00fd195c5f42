import Foundation

/// The five services and the gateway as real processes, the release-built executables of the main
/// package, as `scripts/services.sh` starts them: each on its Unix socket with mutual TLS (the
/// development certificates of `scripts/make-certs.sh`), its own database (a SQLite file, or a
/// database named after it on a PostgreSQL server, ``ServiceStorage``) and log, in test mode (the
/// carrier simulator and the Operator methods), in one short run directory under /tmp.
///
/// Layout of the run directory: certs/, run/<service>.sock, data/<service>.sqlite (on SQLite),
/// log/<service>.log.
final class ServiceCluster {
    /// The domain services, then the gateway (started last: it follows their feeds).
    static let services = ["orders", "payments", "logistics", "aftersales", "feedback"]
    static let all = services + ["gateway"]

    let directory: String
    let storage: ServiceStorage
    private(set) var processes: [String: Process] = [:]

    private init(directory: String, storage: ServiceStorage) {
        self.directory = directory
        self.storage = storage
    }

    var certificates: String { "\(self.directory)/certs" }
    func socket(_ service: String) -> String { "\(self.directory)/run/\(service).sock" }
    func database(_ service: String) -> String { "\(self.directory)/data/\(service).sqlite" }
    func log(_ service: String) -> String { "\(self.directory)/log/\(service).log" }
    /// The process id of each service.
    var pids: [String: Int32] { self.processes.mapValues(\.processIdentifier) }

    /// Makes the run directory and certificates (and on PostgreSQL each service's database),
    /// starts the services from `binaries` (a directory holding `aftercare-<service>`), and waits
    /// until each one's socket exists.
    static func start(repositoryRoot: String, binaries: String, logLevel: String, storage: ServiceStorage) async throws -> ServiceCluster {
        let cluster = ServiceCluster(directory: try EchoBenchmark.makeTemporaryDirectory(), storage: storage)
        do {
            try cluster.makeCertificates(repositoryRoot: repositoryRoot)
            if case .postgresql(let server) = storage {
                for service in Self.all { try server.createDatabase(service) }
            }
            for sub in ["run", "data", "log"] {
                try FileManager.default.createDirectory(atPath: "\(cluster.directory)/\(sub)", withIntermediateDirectories: true)
            }
            for service in Self.services {
                try cluster.launch(service, binaries: binaries, logLevel: logLevel)
            }
            for service in Self.services { try await cluster.waitForSocket(service) }
            try cluster.launch("gateway", binaries: binaries, logLevel: logLevel)
            try await cluster.waitForSocket("gateway")
            return cluster
        } catch {
            await cluster.stop()
            throw error
        }
    }

    private func makeCertificates(repositoryRoot: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "\(repositoryRoot)/scripts/make-certs.sh")
        process.arguments = [self.certificates]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchmarkError("scripts/make-certs.sh failed with status \(process.terminationStatus)")
        }
    }

    private func launch(_ service: String, binaries: String, logLevel: String) throws {
        let executable = "\(binaries)/aftercare-\(service)"
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw BenchmarkError("\(executable) is not built (swift build -c release --product aftercare-\(service))")
        }
        var arguments: [String] = []
        if service == "gateway" {
            for peer in Self.services { arguments += ["--gateway-peers-\(peer)", "unix:\(self.socket(peer))"] }
        } else {
            // Closed by default: the domain services admit the gateway only, and aftersales' feed
            // feedback too, which follows it.
            arguments += ["--access-callers", "name:gateway.aftercare.internal"]
        }
        if service == "aftersales" {
            arguments += [
                "--access-methods", "aftercare.common.v1.Feed/FollowEvents=name:gateway.aftercare.internal,name:feedback.aftercare.internal",
            ]
        }
        if service == "feedback" { arguments += ["--feedback-peers-aftersales", "unix:\(self.socket("aftersales"))"] }
        arguments += [
            "--listen-socket", self.socket(service),
            "--tls-cert", "\(self.certificates)/\(service).pem", "--tls-key", "\(self.certificates)/\(service).key",
            "--tls-ca", "\(self.certificates)/ca.pem", "--test-mode", "true", "--log-level", logLevel,
        ]
        switch self.storage {
        case .sqlite: arguments += ["--database-path", self.database(service)]
        case .postgresql(let server):
            // database.path is required even beside database.url (which the service then uses alone).
            arguments += ["--database-path", self.database(service), "--database-url", server.url(service)]
        }
        _ = FileManager.default.createFile(atPath: self.log(service), contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: self.log(service)))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.processes[service] = process
    }

    private func waitForSocket(_ service: String) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while !FileManager.default.fileExists(atPath: self.socket(service)) {
            guard self.processes[service]?.isRunning == true, ContinuousClock.now < deadline else {
                let tail = (try? String(contentsOfFile: self.log(service), encoding: .utf8))?.split(separator: "\n").suffix(20)
                    .joined(separator: "\n") ?? ""
                throw BenchmarkError("aftercare-\(service) did not start; its log:\n\(tail)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// SIGTERM to each process, the gateway first (they drain and remove their sockets); SIGKILL
    /// to any still running after 30 s.
    func stop() async {
        let order = ["gateway"] + Self.services
        for service in order {
            if let process = self.processes[service], process.isRunning { process.terminate() }
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while self.processes.values.contains(where: \.isRunning), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        for process in self.processes.values where process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Removes the run directory (after ``stop()``).
    func remove() {
        try? FileManager.default.removeItem(atPath: self.directory)
    }
}
