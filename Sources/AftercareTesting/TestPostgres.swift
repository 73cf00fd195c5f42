package import AftercareServiceKit
import Foundation
import Synchronization

/// A throw-away PostgreSQL server for this test process, started on first use and stopped when
/// the process exits: `initdb` and `postgres` from `/usr/lib/postgresql/*/bin` (as the `postgres`
/// user when the tests run as root, since `initdb` refuses root), listening only on a Unix socket
/// in `/tmp/ac-pg-<pid>`, trusting its one user, without fsync. Each test asks for a database of
/// its own (``database()``).
///
/// Without PostgreSQL installed, ``database()`` throws, naming `scripts/install-deps.sh test`:
/// the PostgreSQL tests fail rather than skip.
package enum TestPostgres {
    /// The user the server is initialized with.
    static let user = "aftercare"

    /// A new, empty database on this process's server (started if it is not yet).
    package static func database() async throws -> PostgresLocation {
        let server = try await Self.server.value
        let name = "test_\(Self.databases.add(1, ordering: .relaxed).newValue)"
        try await server.run(sql: "CREATE DATABASE \(name)")
        return try PostgresLocation(url: "postgresql://\(Self.user)@/\(name)?host=\(server.directory)", password: nil)
    }

    private static let databases = Atomic<Int>(0)

    /// The server, started once per process.
    private static let server = Task { try await Server.start(.socketOnly) }

    /// A server's extras beyond the Unix socket.
    struct Options: Sendable {
        /// The TCP port on 127.0.0.1 (none: the Unix socket only), and with it the socket's name.
        var port: Int?
        /// The server's certificate and key files (TLS on), copied into its data directory.
        var certificate: (certificate: String, key: String)?
        /// `pg_hba.conf` (default: initdb's, trusting every local connection).
        var hostBasedAuthentication: String?
        /// Its directory is `/tmp/<prefix>-<pid>`.
        var directoryPrefix = "ac-pg"

        static let socketOnly = Options()
    }

    struct Server: Sendable {
        let binaries: String
        let directory: String
        let port: Int
        var psql: String { FileManager.default.isExecutableFile(atPath: "\(self.binaries)/psql") ? "\(self.binaries)/psql" : "/usr/bin/psql" }

        /// Runs `sql` as the server's superuser, over its Unix socket.
        func run(sql: String) async throws {
            let done = try await FinishedProcess.run(
                self.psql, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", self.directory, "-p", "\(self.port)", "-U", TestPostgres.user, "-d", "postgres", "-c", sql])
            guard done.status == 0 else { throw TestKitError("psql failed on \(sql.prefix(60)): \(done.errors)") }
        }

        static func start(_ options: Options) async throws -> Server {
            let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
            guard let binaries = versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }).map({ "/usr/lib/postgresql/\($0)/bin" })
                .first(where: { FileManager.default.isExecutableFile(atPath: "\($0)/initdb") })
            else {
                throw TestKitError(
                    "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run scripts/install-deps.sh test, which installs the postgresql package")
            }
            let directory = try TemporaryDirectory.perProcess(options.directoryPrefix).path
            var runAs: [String] = []
            if geteuid() == 0 {
                guard let postgres = getpwnam("postgres") else { throw TestKitError("running as root, and there is no postgres user to run initdb as") }
                guard chown(directory, postgres.pointee.pw_uid, postgres.pointee.pw_gid) == 0 else { throw TestKitError("chown \(directory): errno \(errno)") }
                runAs = ["-u", "postgres", "--"]
            }
            let server = Server(binaries: binaries, directory: directory, port: options.port ?? 5432)
            try await server.run(runAs, "initdb", ["-D", "\(directory)/data", "-A", "trust", "-U", TestPostgres.user, "--no-sync", "-E", "UTF8"])
            var settings = ["-c", "listen_addresses=\(options.port == nil ? "" : "127.0.0.1")", "-c", "fsync=off", "-c", "max_connections=300"]
            if let port = options.port { settings += ["-c", "port=\(port)"] }
            if let hba = options.hostBasedAuthentication { try hba.write(toFile: "\(directory)/data/pg_hba.conf", atomically: false, encoding: .utf8) }
            if let (certificate, key) = options.certificate {
                // PostgreSQL takes a key only its own user may read.
                for (source, name) in [(certificate, "server.crt"), (key, "server.key")] {
                    let target = "\(directory)/data/\(name)"
                    try FileManager.default.copyItem(atPath: source, toPath: target)
                    guard chmod(target, 0o600) == 0 else { throw TestKitError("chmod \(target): errno \(errno)") }
                    if geteuid() == 0, let postgres = getpwnam("postgres") {
                        guard chown(target, postgres.pointee.pw_uid, postgres.pointee.pw_gid) == 0 else { throw TestKitError("chown \(target): errno \(errno)") }
                    }
                }
                settings += ["-c", "ssl=on", "-c", "ssl_cert_file=\(directory)/data/server.crt", "-c", "ssl_key_file=\(directory)/data/server.key"]
            }
            // The server runs as a child of this process, never awaited: `pg_ctl start` would leave
            // a daemon holding the descriptor through which Foundation sees pg_ctl end, so pg_ctl
            // would never be seen to end.
            let postgres = Process()
            postgres.executableURL = URL(fileURLWithPath: runAs.isEmpty ? "\(binaries)/postgres" : "/usr/sbin/runuser")
            postgres.arguments =
                (runAs.isEmpty ? [] : runAs + ["\(binaries)/postgres"])
                + ["-D", "\(directory)/data", "-k", directory] + settings
            postgres.standardInput = FileHandle.nullDevice
            postgres.standardOutput = FileHandle.nullDevice
            postgres.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: try Self.emptyFile("\(directory)/log")))
            Self.started.withLock { $0.append((binaries, directory, runAs)) }
            atexit { Server.stop() }
            try postgres.run()
            try await server.waitUntilReady()
            return server
        }

        /// Makes an empty file at `path`, answering it.
        private static func emptyFile(_ path: String) throws -> String {
            guard FileManager.default.createFile(atPath: path, contents: nil) else { throw TestKitError("cannot create \(path)") }
            return path
        }

        /// Waits until the server answers a query on its socket (at most 60 s).
        private func waitUntilReady() async throws {
            let deadline = ContinuousClock.now + .seconds(60)
            while true {
                let probe = try await FinishedProcess.run(
                    self.psql, ["-X", "-q", "-h", self.directory, "-p", "\(self.port)", "-U", TestPostgres.user, "-d", "postgres", "-c", "SELECT 1"])
                if probe.status == 0 { return }
                guard ContinuousClock.now < deadline else { throw TestKitError("PostgreSQL did not start in \(self.directory): \(probe.errors)") }
                try await Task.sleep(for: .milliseconds(100))
            }
        }

        /// What ``stop()`` needs at exit, per server started.
        private static let started = Mutex<[(binaries: String, directory: String, runAs: [String])]>([])

        /// Stops the servers at once and removes their directories.
        private static func stop() {
            let servers: [(binaries: String, directory: String, runAs: [String])] = Self.started.withLock { started in
                defer { started = [] }
                return started
            }
            for server in servers {
                Self.stop(binaries: server.binaries, directory: server.directory, runAs: server.runAs)
            }
        }

        private static func stop(binaries: String, directory: String, runAs: [String]) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: runAs.isEmpty ? "\(binaries)/pg_ctl" : "/usr/sbin/runuser")
            process.arguments = (runAs.isEmpty ? [] : runAs + ["\(binaries)/pg_ctl"]) + ["-D", "\(directory)/data", "-m", "immediate", "stop"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            if (try? process.run()) != nil { process.waitUntilExit() }
            try? FileManager.default.removeItem(atPath: directory)
        }

        private func run(_ runAs: [String], _ program: String, _ arguments: [String]) async throws {
            let path = "\(self.binaries)/\(program)"
            let finished =
                runAs.isEmpty
                ? try await FinishedProcess.run(path, arguments) : try await FinishedProcess.run("/usr/sbin/runuser", runAs + [path] + arguments)
            guard finished.status == 0 else { throw TestKitError("\(program) failed (\(finished.status)): \(finished.errors)") }
        }
    }
}
