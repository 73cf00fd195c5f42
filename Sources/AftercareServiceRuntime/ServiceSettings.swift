package import AftercareCrashPoints
package import AftercareServiceKit
package import Logging

/// What every service reads from its configuration. Keys are given as in the YAML file; the same
/// key is `AFTERCARE_<KEY>` in the environment (`database.path` → `AFTERCARE_DATABASE_PATH`,
/// `spans.maxAgeHours` → `AFTERCARE_SPANS_MAX_AGE_HOURS`) and `--<key>` as a flag
/// (`--database-path`, `--spans-max-age-hours`). Flags win over the environment, which wins over
/// the file.
package struct ServiceSettings: Sendable {
    /// Where the service listens; at least one of the two.
    package struct Listen: Sendable {
        /// `listen.socket`: a Unix socket path (at most 107 bytes).
        package var socket: String?
        /// `listen.tcp`: `host:port`.
        package var tcpHost: String?
        package var tcpPort: Int?
    }

    /// TLS: all three files for mutual TLS (the default for services), or none for plaintext.
    package struct TLS: Sendable {
        /// `tls.cert`: the service's certificate chain (PEM), naming `<service>.aftercare.internal`.
        package var certificateFile: String
        /// `tls.key`: its private key (PEM).
        package var keyFile: String
        /// `tls.ca`: the CA that callers' certificates must chain to; without it TLS is one-way.
        package var caFile: String?
    }

    /// `spans.*`: how long and how many spans the database keeps.
    package struct Spans: Sendable {
        /// `spans.maxAgeHours`, default 168 (7 days).
        package var maxAgeHours: Int = 168
        /// `spans.maxCount`, default 200,000.
        package var maxCount: Int = 200_000
    }

    /// `access.*`: who may call what.
    package struct Access: Sendable {
        /// `access.callers`: principals (`name:gateway.aftercare.internal`, `uid:1000`) allowed to call
        /// every method of the service except the built-in ones (health, method list, spans by trace
        /// id). Unset or empty, a service that admits by allow-list refuses every caller: closed by
        /// default.
        package var callers: [String]?
        /// `access.methods`: per-method lists that replace `callers`, each
        /// `"<package>.<Service>/<Method>=<principal>[,<principal>…]"`.
        package var methods: [String: Set<String>] = [:]
        /// `access.uids`: Unix-socket peers must run as one of these uids; empty admits every uid.
        package var uids: [UInt32] = []
    }

    /// The service's short name, e.g. `orders`; the executable is `aftercare-<name>`.
    package var name: String
    package var listen: Listen
    package var tls: TLS?
    /// `database.path`: the service's SQLite file (required; with `database.url` set, where the
    /// files a service keeps beside its database go, such as payments' simulated provider books).
    package var databasePath: String
    /// `database.url` (with `database.passwordFile`): the service's PostgreSQL database, which then
    /// holds its data instead of the SQLite file; `nil` (the default) for SQLite.
    package var databaseURL: PostgresLocation?
    /// `database.shared`: other processes — instances of the same service — use the database too
    /// (SQLite in WAL mode on one machine). Default false: one process per database, which the
    /// database's lock enforces. Only a service built for several instances (payments) accepts it.
    package var databaseShared: Bool = false
    /// `log.level`: trace, debug, info (default), notice, warning, error, critical.
    package var logLevel: Logger.Level = .info
    /// `log.format`: text (default) or json, one object per line.
    package var logFormat: LogFormat = .text
    /// `metrics.listen`: `host:port` where `GET /metrics` answers in Prometheus' text format; unset
    /// (the default), no metrics are recorded or served.
    package var metricsListen: HostPort?
    /// `tracing.otlp.endpoint`: the OpenTelemetry collector's OTLP/HTTP base URL
    /// (`http://127.0.0.1:4318`), which spans are sent to at `<endpoint>/v1/traces`; unset (the
    /// default), no spans are made or sent.
    package var tracingEndpoint: String?
    /// `tracing.batchDelayMs`: how long finished spans wait to be sent together, default 5,000.
    package var tracingBatchDelayMs: Int = 5_000
    /// `tracing.sampleRatio`: the share of traces whose spans are made and sent, above 0 and at most
    /// 1 (the default, every trace); decided from the trace id, the same in every process with the
    /// same ratio (``AftercareRPC/CallTracing``).
    package var tracingSampleRatio: Double = 1
    /// `testMode`: allow the Operator methods (clock, faults). Default false.
    package var testMode: Bool = false
    /// `crashAt` (`AFTERCARE_CRASH_AT`): the crash point armed at start, `<point>[@<pattern>][#<hit>]`
    /// (test mode only; see ``AftercareCrashPoints/CrashSpec``).
    package var crashAt: CrashSpec?
    package var spans = Spans()
    package var access = Access()
    /// `drainSeconds`: how long a graceful shutdown lets calls finish. Default 10.
    package var drainSeconds: Int = 10

    /// The executable's name.
    package var executableName: String { "aftercare-\(self.name)" }
}
