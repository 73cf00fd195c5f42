import Foundation

/// A throw-away PostgreSQL server for one saga run, durable as the SQLite run is: `initdb` (without
/// `--no-sync`) into a directory of its own under /tmp and `postgres` listening on a Unix socket
/// there only, as the `postgres` user when the bench runs as root (`initdb` refuses root), trusting
/// its one user. Left at PostgreSQL's defaults but for what ``settings`` names: `fsync`,
/// `synchronous_commit` and `full_page_writes` on (each commit's WAL flushed before it is answered),
/// 200 connections (six pools of 8 and the bench's own), and `wal_keep_size` so that the WAL of a
/// phase is still there for `pg_waldump` when the phase ends (it changes what is kept, not what is
/// written or flushed).
///
/// Layout of its directory: data/ (the cluster), .s.PGSQL.5432 (the socket), log.
final class PostgresServer: Sendable {
    /// The user `initdb` makes and every service connects as.
    static let user = "aftercare"
    /// The `-c` settings the server is started with.
    static let settings = [
        "listen_addresses=", "fsync=on", "synchronous_commit=on", "full_page_writes=on", "max_connections=200", "wal_keep_size=1GB",
    ]

    /// `/usr/lib/postgresql/<newest>/bin`.
    let binaries: String
    let directory: String
    /// `runuser -u postgres --` when running as root, else nothing.
    private let runAs: [String]

    private init(binaries: String, directory: String, runAs: [String]) {
        self.binaries = binaries
        self.directory = directory
        self.runAs = runAs
    }

    var dataDirectory: String { "\(self.directory)/data" }
    var psql: String { FileManager.default.isExecutableFile(atPath: "\(self.binaries)/psql") ? "\(self.binaries)/psql" : "/usr/bin/psql" }
    /// The socket file, for postgres-nio.
    var socket: String { "\(self.directory)/.s.PGSQL.5432" }
    /// `database.url` of `database` on this server.
    func url(_ database: String) -> String { "postgresql://\(Self.user)@/\(database)?host=\(self.directory)" }

    /// The postmaster's process id (the first line of `postmaster.pid`): every backend and
    /// background process of the server is its child.
    func postmasterPID() throws -> Int32 {
        let text = try String(contentsOfFile: "\(self.dataDirectory)/postmaster.pid", encoding: .utf8)
        guard let pid = text.split(separator: "\n").first.flatMap({ Int32($0) }) else {
            throw BenchmarkError("unreadable \(self.dataDirectory)/postmaster.pid")
        }
        return pid
    }

    /// Initializes a cluster in a new directory, starts the server and waits until it answers.
    static func start() async throws -> PostgresServer {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        guard let binaries = versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }).map({ "/usr/lib/postgresql/\($0)/bin" })
            .first(where: { FileManager.default.isExecutableFile(atPath: "\($0)/initdb") })
        else {
            throw BenchmarkError("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): scripts/install-deps.sh test installs it")
        }
        var template = Array("/tmp/acb-pg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw BenchmarkError("mkdtemp failed: errno \(errno)") }
        let directory = String(cString: made)
        var runAs: [String] = []
        if geteuid() == 0 {
            guard let postgres = getpwnam("postgres") else { throw BenchmarkError("running as root, and there is no postgres user to run initdb as") }
            guard chown(directory, postgres.pointee.pw_uid, postgres.pointee.pw_gid) == 0 else { throw BenchmarkError("chown \(directory): errno \(errno)") }
            runAs = ["-u", "postgres", "--"]
        }
        let server = PostgresServer(binaries: binaries, directory: directory, runAs: runAs)
        do {
            try server.run("initdb", ["-D", server.dataDirectory, "-A", "trust", "-U", Self.user, "-E", "UTF8"])
            try server.launch()
            try await server.waitUntilReady()
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    /// Starts `postgres` as a child of this process, never awaited (its log in `log`): `pg_ctl
    /// start` would leave a daemon holding the descriptor through which Foundation sees pg_ctl
    /// end, so pg_ctl would never be seen to end.
    private func launch() throws {
        let log = "\(self.directory)/log"
        guard FileManager.default.createFile(atPath: log, contents: nil) else { throw BenchmarkError("cannot create \(log)") }
        let postgres = Process()
        postgres.executableURL = URL(fileURLWithPath: self.runAs.isEmpty ? "\(self.binaries)/postgres" : "/usr/sbin/runuser")
        postgres.arguments =
            (self.runAs.isEmpty ? [] : self.runAs + ["\(self.binaries)/postgres"])
            + ["-D", self.dataDirectory, "-k", self.directory] + Self.settings.flatMap { ["-c", $0] }
        postgres.standardInput = FileHandle.nullDevice
        postgres.standardOutput = FileHandle.nullDevice
        postgres.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try postgres.run()
    }

    /// Makes an empty database `name` (before the services start: not counted).
    func createDatabase(_ name: String) throws {
        try Subprocess.run(self.psql, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", self.directory, "-U", Self.user, "-d", "postgres", "-c", "CREATE DATABASE \(name)"])
    }

    /// Waits until the server answers a query on its socket (at most 60 s).
    private func waitUntilReady() async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            do {
                try Subprocess.run(self.psql, ["-X", "-q", "-h", self.directory, "-U", Self.user, "-d", "postgres", "-c", "SELECT 1"])
                return
            } catch {
                guard ContinuousClock.now < deadline else { throw BenchmarkError("PostgreSQL did not start in \(self.directory): \(error)") }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Stops the server at once (`pg_ctl stop -m immediate`: nothing of it is needed after the
    /// run) and removes its directory. Safe to call more than once, and from a signal handler's
    /// queue.
    func stop() {
        if FileManager.default.fileExists(atPath: "\(self.dataDirectory)/postmaster.pid") {
            _ = try? self.run("pg_ctl", ["-D", self.dataDirectory, "-m", "immediate", "-w", "stop"])
        }
        try? FileManager.default.removeItem(atPath: self.directory)
    }

    /// Runs one of the server's programs as the server's user.
    @discardableResult
    private func run(_ program: String, _ arguments: [String]) throws -> String {
        let path = "\(self.binaries)/\(program)"
        return self.runAs.isEmpty ? try Subprocess.run(path, arguments) : try Subprocess.run("/usr/sbin/runuser", self.runAs + [path] + arguments)
    }
}
