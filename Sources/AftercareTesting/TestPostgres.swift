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
        let created = try await FinishedProcess.run(
            server.psql, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", server.directory, "-U", Self.user, "-d", "postgres", "-c", "CREATE DATABASE \(name)"])
        guard created.status == 0 else { throw TestKitError("CREATE DATABASE \(name) failed: \(created.errors)") }
        return try PostgresLocation(url: "postgresql://\(Self.user)@/\(name)?host=\(server.directory)", password: nil)
    }

    private static let databases = Atomic<Int>(0)

    /// The server, started once per process.
    private static let server = Task { try await Server.start() }

    private struct Server: Sendable {
        let binaries: String
        let directory: String
        var psql: String { FileManager.default.isExecutableFile(atPath: "\(self.binaries)/psql") ? "\(self.binaries)/psql" : "/usr/bin/psql" }

        static func start() async throws -> Server {
            let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
            guard let binaries = versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }).map({ "/usr/lib/postgresql/\($0)/bin" })
                .first(where: { FileManager.default.isExecutableFile(atPath: "\($0)/initdb") })
            else {
                throw TestKitError(
                    "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run scripts/install-deps.sh test, which installs the postgresql package")
            }
            let directory = try TemporaryDirectory.perProcess("ac-pg").path
            var runAs: [String] = []
            if geteuid() == 0 {
                guard let postgres = getpwnam("postgres") else { throw TestKitError("running as root, and there is no postgres user to run initdb as") }
                guard chown(directory, postgres.pointee.pw_uid, postgres.pointee.pw_gid) == 0 else { throw TestKitError("chown \(directory): errno \(errno)") }
                runAs = ["-u", "postgres", "--"]
            }
            let server = Server(binaries: binaries, directory: directory)
            try await server.run(runAs, "initdb", ["-D", "\(directory)/data", "-A", "trust", "-U", TestPostgres.user, "--no-sync", "-E", "UTF8"])
            // The server runs as a child of this process, never awaited: `pg_ctl start` would leave
            // a daemon holding the descriptor through which Foundation sees pg_ctl end, so pg_ctl
            // would never be seen to end.
            let postgres = Process()
            postgres.executableURL = URL(fileURLWithPath: runAs.isEmpty ? "\(binaries)/postgres" : "/usr/sbin/runuser")
            postgres.arguments =
                (runAs.isEmpty ? [] : runAs + ["\(binaries)/postgres"])
                + ["-D", "\(directory)/data", "-k", directory, "-c", "listen_addresses=", "-c", "fsync=off", "-c", "max_connections=300"]
            postgres.standardInput = FileHandle.nullDevice
            postgres.standardOutput = FileHandle.nullDevice
            postgres.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: try Self.emptyFile("\(directory)/log")))
            Self.started.withLock { $0 = (binaries, directory, runAs) }
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
                let probe = try await FinishedProcess.run(self.psql, ["-X", "-q", "-h", self.directory, "-U", TestPostgres.user, "-d", "postgres", "-c", "SELECT 1"])
                if probe.status == 0 { return }
                guard ContinuousClock.now < deadline else { throw TestKitError("PostgreSQL did not start in \(self.directory): \(probe.errors)") }
                try await Task.sleep(for: .milliseconds(100))
            }
        }

        /// What ``stop()`` needs at exit.
        private static let started = Mutex<(binaries: String, directory: String, runAs: [String])?>(nil)

        /// Stops the server at once and removes its directory.
        private static func stop() {
            guard let started = Self.started.withLock({ $0.take() }) else { return }
            let (binaries, directory, runAs) = started
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
