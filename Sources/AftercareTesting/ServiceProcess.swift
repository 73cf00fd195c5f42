package import AftercareNIO
package import AftercareRPC
import Foundation
import Logging
import Synchronization

/// A real service executable (`aftercare-<name>` from the debug build) started for a test: a Unix
/// socket at `<directory>/<name>.sock` (or a TCP port on the loopback, ``Listening``) with mutual TLS from the shared development certificates,
/// its database at `<directory>/<name>.sqlite`, test mode on, callers allowed as ``DevelopmentAccess`` says
/// (feedback following the aftersales of the same directory unless told otherwise). ``start(_:in:databasePath:arguments:environment:developmentAccess:)``
/// returns once it answers health.
package final class ServiceProcess: Sendable {
    /// The short name, e.g. `orders`.
    package let name: String
    /// Which instance of the service it is, e.g. `payments-2`: names its socket and log. The
    /// service's name for its only (or first) instance.
    package let instance: String
    /// Where its Unix socket is, or would be: a process started on TCP has none.
    package let socketPath: String
    /// Where it listens: its Unix socket, or its TCP port.
    package let address: TransportAddress
    package let databasePath: String
    /// What the process writes to standard error.
    package let logPath: String
    private let process: Process
    /// How the process ended when this type reaped it itself (``reapIfForgotten()``).
    private let reaped = Mutex<Ending?>(nil)

    /// Where a started service listens.
    package enum Listening: Sendable, Hashable {
        /// `<directory>/<name>.sock`.
        case unixSocket
        /// `127.0.0.1:<port>`, and no Unix socket.
        case tcp(port: Int)
    }

    private init(
        name: String, instance: String, socketPath: String, address: TransportAddress, databasePath: String, logPath: String, process: Process
    ) {
        self.name = name
        self.instance = instance
        self.socketPath = socketPath
        self.address = address
        self.databasePath = databasePath
        self.logPath = logPath
        self.process = process
    }

    /// Starts `aftercare-<name>` and waits (up to 30 s) until it answers health.
    /// - Parameters:
    ///   - name: `orders`, `payments`, `logistics`, ….
    ///   - directory: holds the socket, database and log; the same directory restarts the same data.
    ///   - databasePath: another database file than `<directory>/<name>.sqlite`.
    ///   - arguments: extra flags, e.g. `["--payments-simulator-timeout-rate", "1"]`.
    ///   - environment: extra environment variables.
    ///   - developmentAccess: allow callers as ``DevelopmentAccess`` says; without it the service
    ///     runs with no allow-list of the harness's.
    ///   - listening: its Unix socket (the default) or a TCP port.
    ///   - instance: another instance of the service on the same database (`payments-2`): its
    ///     socket is `<directory>/<instance>.sock`, its log `<directory>/<instance>.log`.
    package static func start(
        _ name: String, in directory: TemporaryDirectory, databasePath: String? = nil, arguments: [String] = [],
        environment: [String: String] = [:], developmentAccess: Bool = true, listening: Listening = .unixSocket, instance: String? = nil
    ) async throws -> ServiceProcess {
        try await ProcessStartGate.shared.run {
            let service = try await Self.launch(
                name, in: directory, databasePath: databasePath, arguments: arguments, environment: environment, developmentAccess: developmentAccess,
                listening: listening, instance: instance)
            do {
                try await service.waitUntilServing()
            } catch {
                service.kill()
                throw error
            }
            return service
        }
    }

    /// Starts `aftercare-<name>` as ``start(_:in:databasePath:arguments:environment:developmentAccess:)``
    /// does, without waiting for health.
    static func launch(
        _ name: String, in directory: TemporaryDirectory, databasePath: String?, arguments: [String], environment: [String: String],
        developmentAccess: Bool = true, listening: Listening = .unixSocket, instance: String? = nil
    ) async throws -> ServiceProcess {
        let certificates = try await SharedCertificates.get()
        let instance = instance ?? name
        let socket = directory.appending("\(instance).sock")
        let database = databasePath ?? directory.appending("\(name).sqlite")
        let log = directory.appending("\(instance).log")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "\(RepositoryPaths.buildProducts)/aftercare-\(name)")
        let (listen, address): ([String], TransportAddress) =
            switch listening {
            case .unixSocket: (["--listen-socket", socket], .unix(path: socket))
            case .tcp(let port): (["--listen-tcp", "127.0.0.1:\(port)"], .tcp(host: "127.0.0.1", port: port))
            }
        process.arguments = listen + [
            "--database-path", database,
            "--tls-cert", certificates.certificateFile(name), "--tls-key", certificates.keyFile(name), "--tls-ca", certificates.caFile,
            "--test-mode", "true", "--log-level", "info",
        ] + (developmentAccess ? DevelopmentAccess.arguments(for: name) : []) + Self.peerArguments(name, in: directory, arguments: arguments) + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        if !FileManager.default.fileExists(atPath: log) { _ = FileManager.default.createFile(atPath: log, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try handle.seekToEnd()
        process.standardError = handle
        process.standardOutput = handle
        try process.run()
        return ServiceProcess(
            name: name, instance: instance, socketPath: socket, address: address, databasePath: database, logPath: log, process: process)
    }

    /// Feedback follows aftersales' feed: unless `arguments` name where aftersales listens, feedback
    /// is pointed at `<directory>/aftersales.sock`, where a test starts aftersales by default.
    static func peerArguments(_ name: String, in directory: TemporaryDirectory, arguments: [String]) -> [String] {
        guard name == "feedback", !arguments.contains(Self.feedbackAftersalesFlag) else { return [] }
        return [Self.feedbackAftersalesFlag, "unix:" + directory.appending("aftersales.sock")]
    }

    /// The flag naming where feedback reaches aftersales (`feedback.peers.aftersales`).
    package static let feedbackAftersalesFlag = "--feedback-peers-aftersales"

    /// The process's pid.
    package var processIdentifier: Int32 { self.process.processIdentifier }

    /// Whether the process still runs.
    package var isRunning: Bool { self.reaped.withLock { $0 == nil } && self.process.isRunning }

    /// How a process that is no longer running ended.
    package enum Ending: Sendable, Hashable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)

        package var description: String {
            switch self {
            case .exited(let status): "exited with status \(status)"
            case .signalled(let signal): "killed by signal \(signal)"
            }
        }
    }

    /// Waits (up to `limit`) for the process to end by itself — a crash point's SIGKILL, say — and
    /// answers how it ended; `nil` if it still runs.
    package func waitUntilEnded(within limit: Duration) async throws -> Ending? {
        let deadline = ContinuousClock.now + limit
        while true {
            if let ending = self.ending() { return ending }
            guard ContinuousClock.now < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// SIGKILL: the process dies at once, mid-write if it was writing. Returns once it is reaped
    /// (at most 10 s: a process SIGKILL cannot end is left, and named in the log).
    package func kill() {
        guard self.isRunning else { return }
        Foundation.kill(self.process.processIdentifier, SIGKILL)
        let deadline = ContinuousClock.now + .seconds(10)
        while self.ending() == nil, ContinuousClock.now < deadline { usleep(5_000) }
    }

    /// SIGTERM, then waits for the process to exit; returns its exit status.
    @discardableResult
    package func stop() async throws -> Int32 {
        if self.isRunning { self.process.terminate() }
        for _ in 0..<3_000 where self.ending() == nil {
            try await Task.sleep(for: .milliseconds(10))
        }
        switch self.ending() {
        case .exited(let status)?, .signalled(let status)?:
            return status
        case nil:
            self.kill()
            throw TestKitError("aftercare-\(self.name) did not stop within 30 s of SIGTERM")
        }
    }

    /// How the process ended, or `nil` while it runs. Foundation reaps a child from a thread of its
    /// own when SIGCHLD arrives, and `isRunning` turns false; on Linux it has been seen to miss
    /// one: the child stays a zombie, `isRunning` stays true and `waitUntilExit()` never returns,
    /// which hung a test's teardown and with it the whole run. A child still a zombie a second
    /// after it was first seen as one is reaped here.
    private func ending() -> Ending? {
        if let ending = self.reaped.withLock({ $0 }) { return ending }
        if !self.process.isRunning {
            let status = self.process.terminationStatus
            return self.process.terminationReason == .uncaughtSignal ? .signalled(status) : .exited(status)
        }
        return self.reapIfForgotten()
    }

    /// Reaps the process if it has been a zombie for a second without Foundation reaping it.
    private func reapIfForgotten() -> Ending? {
        let pid = self.process.processIdentifier
        guard Self.isZombie(pid) else { return nil }
        let deadline = ContinuousClock.now + .seconds(1)
        while self.process.isRunning, ContinuousClock.now < deadline { usleep(10_000) }
        guard self.process.isRunning else { return nil }
        var status: Int32 = 0
        // Returns at once: the child has ended. -1 (ECHILD) if Foundation reaped it meanwhile.
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        let signal = status & 0x7f
        let ending: Ending = signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
        self.reaped.withLock { $0 = ending }
        return ending
    }

    /// Whether `pid` is a zombie: ended, not yet reaped (`/proc/<pid>/stat`'s state `Z`).
    package static func isZombie(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return stat[close...].dropFirst().drop(while: { $0 == " " }).first == "Z"
    }

    /// What the process logged so far.
    package var log: String { (try? String(contentsOfFile: self.logPath, encoding: .utf8)) ?? "" }

    /// A client transport reaching the service as `clientName` (its development certificate), where
    /// it listens (``address``) unless `address` says otherwise (its `--listen-tcp` port, say).
    package func clientTransport(as clientName: String = "gateway", address: TransportAddress? = nil) async throws -> NIOClientTransport {
        let certificates = try await SharedCertificates.get()
        return NIOClientTransport(
            address: address ?? self.address,
            tls: ClientTLS(
                trustRootsFile: certificates.caFile, serverName: DevelopmentCertificates.dnsName(self.name),
                certificateFile: certificates.certificateFile(clientName), privateKeyFile: certificates.keyFile(clientName)))
    }

    /// Runs `body` with a client of the service connected as `clientName`.
    package func withClient<Result: Sendable>(
        as clientName: String = "gateway", address: TransportAddress? = nil, _ body: @Sendable (RPCClient) async throws -> Result
    ) async throws -> Result {
        let client = RPCClient(
            transport: try await self.clientTransport(as: clientName, address: address), configuration: .init(name: "test-client"),
            logger: Logger.test("client.\(self.name)"))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            defer { client.beginGracefulShutdown() }
            return try await body(client)
        }
    }

    private func waitUntilServing() async throws {
        let started = ContinuousClock.now
        while ContinuousClock.now - started < .seconds(30) {
            switch self.ending() {
            case .exited(let status)?: throw TestKitError("aftercare-\(self.name) exited with \(status): \(self.log)")
            case .signalled(let signal)?: throw TestKitError("aftercare-\(self.name) was killed by signal \(signal): \(self.log)")
            case nil: break
            }
            if case .unix(let path) = self.address, !FileManager.default.fileExists(atPath: path) {
                // Not bound yet.
            } else {
                let serving = try? await self.withClient { client in
                    try await client.unary(BuiltinMethods.health, .init(), options: .init(timeout: .seconds(2))).status == .serving
                }
                if serving == true { return }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestKitError("aftercare-\(self.name) did not answer health within 30 s: \(self.log)")
    }

    deinit {
        if self.isRunning {
            Foundation.kill(self.process.processIdentifier, SIGKILL)
        }
    }
}
