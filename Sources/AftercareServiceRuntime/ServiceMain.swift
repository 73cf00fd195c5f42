import AftercareBuildInfo
import AftercareCrashPoints
import AftercareFaults
import AftercareNIO
import AftercareRPC
package import AftercareServiceKit
import Configuration
import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import UnixSignals

/// The whole life of a service executable: read the configuration (stopping with a message that
/// names a missing or invalid setting), lock, open and migrate the database, listen on the configured
/// socket and port with TLS, serve the service's methods beside the feed, step and operator
/// methods, and shut down gracefully on SIGTERM or SIGINT.
package enum ServiceMain {
    /// Exit status for a configuration error (`EX_CONFIG`).
    package static let configurationExitCode: Int32 = 78
    /// The umask every service sets at start: files it creates are readable by its user and group
    /// only.
    static let fileCreationMask: mode_t = 0o007

    /// How often a follower of the feed of a shared database looks for the events the other
    /// instances committed (its own instance's commits wake it at once).
    static let sharedFeedPollInterval: Duration = .milliseconds(200)

    /// The build every service reports in HELLO and health: `BuildInfo.version`, from `git
    /// describe` at build time.
    package static var build: String { BuildInfo.version }

    /// Runs service `name` until it is told to stop; exits the process on a start-up error.
    /// - Parameters:
    ///   - name: the short name, e.g. `orders`.
    ///   - migrations: the service's own database migrations.
    ///   - severalInstances: whether the service may run as several processes on one database
    ///     (`database.shared`); a service that may not stops at start when it is set (exit status 78).
    ///   - makeParts: builds the service's handlers and background tasks.
    package static func run(
        name: String,
        migrations: ServiceMigrations,
        severalInstances: Bool = false,
        makeParts: @Sendable (ServiceEnvironment) async throws -> ServiceParts
    ) async {
        // Nothing the service creates — its database, WAL, lock and log files — is for other users.
        umask(Self.fileCreationMask)
        let settings: ServiceSettings
        let config: ConfigReader
        let audit = ConfigKeyAudit()
        do {
            config = try await ServiceConfiguration.load(
                arguments: CommandLine.arguments, environment: ProcessInfo.processInfo.environment, audit: audit)
            settings = try ServiceSettings(name: name, config: config)
            if settings.databaseShared && !severalInstances {
                throw ServiceSettingsError(
                    key: "database.shared", problem: "\(name) runs as one process per database; only payments runs as several instances")
            }
        } catch {
            Self.fail("aftercare-\(name): \(error)", code: Self.configurationExitCode)
        }
        Self.bootstrapLogging(settings)
        let metrics = Self.bootstrapMetrics(settings)
        let logger = Logger(label: settings.executableName)
        let tracing: (any Service)?
        do {
            tracing = try Self.bootstrapTracing(settings, logger: logger)
        } catch {
            Self.fail("\(settings.executableName): tracing.otlp.endpoint: \(error)", code: Self.configurationExitCode)
        }
        if let spec = settings.crashAt { CrashPoints.arm(spec, logger: logger) }
        do {
            try await Self.serve(
                settings: settings, config: config, audit: audit, migrations: migrations, makeParts: makeParts, metrics: metrics,
                tracing: tracing, logger: logger)
        } catch let error as ServiceSettingsError {
            logger.critical("stopped: bad configuration", metadata: ["error": "\(error)"])
            Self.fail("\(settings.executableName): \(error)", code: Self.configurationExitCode)
        } catch {
            logger.critical("stopped", metadata: ["error": "\(error)"])
            Self.fail("\(settings.executableName): \(error)", code: 1)
        }
    }

    static func serve(
        settings: ServiceSettings,
        config: ConfigReader,
        audit: ConfigKeyAudit,
        migrations: ServiceMigrations,
        makeParts: @Sendable (ServiceEnvironment) async throws -> ServiceParts,
        metrics: PrometheusCollectorRegistry?,
        tracing: (any Service)?,
        logger: Logger
    ) async throws {
        let opened = try await Self.openDatabase(settings, migrations: migrations, logger: logger)
        let database = opened.database
        let clock = ServiceClock(testMode: settings.testMode)
        let spans = SQLSpanStore(
            database: database, clock: clock, maxAge: .seconds(settings.spans.maxAgeHours * 3_600), maxCount: settings.spans.maxCount,
            logger: logger)
        let environment = ServiceEnvironment(
            settings: settings, config: config, database: database, clock: clock,
            feed: EventFeed(
                source: settings.name, database: database, clock: clock,
                pollInterval: settings.databaseShared || opened.postgres != nil ? Self.sharedFeedPollInterval : nil),
            ledger: MutationLedger(database: database, clock: clock), spans: spans, faults: FaultInjector(), logger: logger)
        let parts = try await makeParts(environment)
        try audit.checkEverySettingRead(arguments: CommandLine.arguments)
        let services: [any RPCService] = parts.services + [
            FeedService(feed: environment.feed), StepService(ledger: environment.ledger.steps),
            OperatorService(clock: clock, faults: environment.faults),
        ]
        let configuration = try Self.serverConfiguration(settings, parts: parts, services: services)
        var endpoint: MetricsEndpoint?
        if let metrics, let address = settings.metricsListen {
            let probes = [ScrapeProbe.feedSize(environment.feed, service: settings.executableName)] + parts.scrapeProbes
            endpoint = try await MetricsEndpoint.bind(to: address, registry: metrics, probes: probes, logger: logger)
        }
        let server = RPCServer(
            transports: try await Self.transports(settings, logger: logger),
            services: services,
            configuration: configuration,
            spanStore: spans,
            healthChecks: [database.healthCheck] + parts.healthChecks,
            logger: logger
        )
        logger.info(
            "starting",
            metadata: [
                "service": "\(settings.executableName)", "listen.socket": "\(settings.listen.socket ?? "-")",
                "listen.tcp": "\(settings.listen.tcpHost.map { "\($0):\(settings.listen.tcpPort ?? 0)" } ?? "-")",
                "tls": "\(settings.tls == nil ? "off" : settings.tls?.caFile == nil ? "on" : "mutual")",
                "database.path": "\(settings.databasePath)", "database.url": "\(settings.databaseURL.map { "\($0)" } ?? "-")",
                "test_mode": "\(settings.testMode)",
                "access.callers": "\((settings.access.callers ?? []).joined(separator: ","))",
                "log.format": "\(settings.logFormat)", "metrics.listen": "\(settings.metricsListen.map { "\($0)" } ?? "-")",
                "tracing.otlp.endpoint": "\(settings.tracingEndpoint ?? "-")", "tracing.sampleRatio": "\(settings.tracingSampleRatio)",
            ])
        if (settings.access.callers ?? []).isEmpty {
            logger.warning(
                "access.callers is not set: every caller is refused every method that has no list of its own (health, the method list and spans stay open)",
                metadata: ["own_lists": "\(configuration.methodAllowLists.keys.sorted())"])
        }
        // Shut down in reverse: the server drains first, the metrics endpoint closes, the span
        // store writes, and the trace exporter sends the spans of the drained calls last.
        var members: [ServiceGroupConfiguration.ServiceConfiguration] = tracing.map { [.init(service: $0)] } ?? []
        members.append(.init(service: spans))
        if let endpoint { members.append(.init(service: endpoint)) }
        let group = ServiceGroup(
            configuration: .init(
                services: members + parts.background.map { .init(service: $0) } + [.init(service: server)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger)
        )
        do {
            try await group.run()
        } catch {
            await opened.close()
            throw error
        }
        await opened.close()
    }

    /// The socket and port of `settings`, bound.
    static func transports(_ settings: ServiceSettings, logger: Logger) async throws -> [any ServerTransport] {
        let tls = settings.tls.map { tls in
            ServerTLS(
                certificateFile: tls.certificateFile, privateKeyFile: tls.keyFile, trustRootsFile: tls.caFile ?? tls.certificateFile,
                requireClientCertificate: tls.caFile != nil)
        }
        if let tls, let files = settings.tls {
            do throws(TLSFileError) {
                try tls.check()
            } catch {
                let key = switch error.role {
                case .certificate: "tls.cert"
                case .privateKey: "tls.key"
                case .trustRoots: files.caFile == nil ? "tls.cert" : "tls.ca"
                }
                throw ServiceSettingsError(key: key, problem: error.description)
            }
        }
        var transports: [any ServerTransport] = []
        if let socket = settings.listen.socket {
            transports.append(try await NIOServerTransport.bind(to: .unix(path: socket), tls: tls, logger: logger))
        }
        if let host = settings.listen.tcpHost, let port = settings.listen.tcpPort {
            transports.append(try await NIOServerTransport.bind(to: .tcp(host: host, port: port), tls: tls, logger: logger))
        }
        return transports
    }

    /// The server's configuration: its name, drain time and allow-lists. `access.callers` covers
    /// every method without a list of its own, and unset admits nobody (closed by default); the
    /// service's own lists (`parts.allowLists`) cover their methods; `access.methods` replaces
    /// either, per method, and must name methods the service has.
    static func serverConfiguration(
        _ settings: ServiceSettings, parts: ServiceParts, services: [any RPCService]
    ) throws(ServiceSettingsError) -> RPCServer.Configuration {
        var router = RPCRouter()
        for service in services { router.add(service) }
        for method in settings.access.methods.keys.sorted() where router.routes[method] == nil {
            throw ServiceSettingsError(key: "access.methods", problem: "\(settings.executableName) has no method \(method)")
        }
        return RPCServer.Configuration(
            name: settings.executableName,
            build: Self.build,
            drainTimeout: .seconds(settings.drainSeconds),
            allowedPeerUIDs: settings.access.uids.isEmpty ? nil : Set(settings.access.uids),
            methodAllowLists: parts.allowLists.merging(settings.access.methods) { _, configured in configured },
            defaultAllowList: Set(settings.access.callers ?? [])
        )
    }

    private static func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(code)
    }
}
