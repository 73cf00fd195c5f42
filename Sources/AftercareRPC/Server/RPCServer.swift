public import Logging
import NIOCore
public import ServiceLifecycle
import Synchronization

/// An Aftercare RPC server: serves registered methods on one or more transports, with the built-in
/// health, method-listing and span methods (WIRE.md §13). A swift-service-lifecycle `Service`:
/// graceful shutdown drains every connection (WIRE.md §10).
public final class RPCServer: Service, Sendable {
    private let transports: [any ServerTransport]
    private let runtime: ServerRuntime
    private let connections = ServerConnections()
    private let draining = Mutex(false)
    private let builtin: BuiltinService

    /// - Parameters:
    ///   - transports: where to accept connections (a Unix socket and a TCP port, say).
    ///   - services: the services to serve.
    ///   - configuration: name, limits, timeouts, allow-lists.
    ///   - interceptors: run around every handler, first to last.
    ///   - spanStore: where spans of served calls go.
    ///   - healthChecks: named checks the health method runs (e.g. the database).
    ///   - logger: the server's logger; calls log with their trace id added.
    public init(
        transports: [any ServerTransport],
        services: [any RPCService],
        configuration: Configuration,
        interceptors: [any ServerInterceptor] = [],
        spanStore: any SpanStore = InMemorySpanStore(),
        healthChecks: [HealthCheck] = [],
        logger: Logger
    ) {
        self.transports = transports
        let builtin = BuiltinService(configuration: configuration, spans: spanStore, checks: healthChecks)
        var router = RPCRouter()
        for service in services { router.add(service) }
        router.resolveAllowLists { route in configuration.methodAllowLists[route.name] ?? route.allowed ?? configuration.defaultAllowList }
        router.add(builtin)
        builtin.methods = router.routes.values.map { route in
            MethodListing(name: route.name, kind: route.kind, requestType: route.requestType, responseType: route.responseType,
                          allowed: route.allowed)
        }
        self.builtin = builtin
        self.runtime = ServerRuntime(
            configuration: configuration,
            router: router,
            interceptors: interceptors,
            limiter: CallLimiter(limit: configuration.maxConcurrentCallsTotal),
            requestMemory: RequestMemory(limit: configuration.maxBufferedRequestBytesTotal),
            spans: spanStore,
            metrics: ServerMetrics(service: configuration.name, methods: router.routes.keys),
            logger: logger
        )
    }

    /// Serves until every transport stops: after ``beginGracefulShutdown()`` or graceful shutdown
    /// of the service group, once every connection has drained and every call's span is recorded.
    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                for transport in self.transports {
                    let configuration = self.runtime.configuration
                    // Bounds are per listener.
                    let unauthenticated = UnauthenticatedConnections(
                        limit: configuration.maxUnauthenticatedConnections,
                        limitPerUID: configuration.maxUnauthenticatedConnectionsPerUID)
                    group.addTask {
                        try await transport.listen { accepted in
                            let handler = ServerConnectionHandler(
                                runtime: self.runtime, peer: accepted.peer, label: accepted.label,
                                connections: self.connections, unauthenticated: unauthenticated)
                            try accepted.channel.pipeline.syncOperations.addHandler(handler)
                        }
                    }
                }
            }
            await self.connections.waitUntilEmpty()
            await self.runtime.limiter.waitUntilIdle()
        } onGracefulShutdown: {
            self.beginGracefulShutdown()
        }
    }

    /// Stops accepting connections and drains the open ones: accepted calls finish (within the
    /// drain timeout), later ones are refused as not executed.
    public func beginGracefulShutdown() {
        let first = self.draining.withLock { draining in
            defer { draining = true }
            return !draining
        }
        guard first else { return }
        self.runtime.logger.info("draining", metadata: ["rpc.server": "\(self.runtime.configuration.name)"])
        self.builtin.markDraining()
        for transport in self.transports { transport.beginGracefulShutdown() }
        self.connections.drainAll()
    }
}
