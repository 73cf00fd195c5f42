import AftercareWire
import Logging
import NIOCore

/// What every connection of one server shares. A class, so that each call holds it with one
/// reference rather than a copy of every field.
final class ServerRuntime: Sendable {
    let configuration: RPCServer.Configuration
    let router: RPCRouter
    let interceptors: [any ServerInterceptor]
    let limiter: CallLimiter
    let requestMemory: RequestMemory
    let spans: any SpanStore
    let metrics: ServerMetrics
    let logger: Logger
    /// How many calls of a read burst start on the event loop.
    let inlineStarts: InlineStarts

    init(
        configuration: RPCServer.Configuration, router: RPCRouter, interceptors: [any ServerInterceptor], limiter: CallLimiter,
        requestMemory: RequestMemory, spans: any SpanStore, metrics: ServerMetrics, logger: Logger, inlineStarts: InlineStarts = .defaults
    ) {
        self.configuration = configuration
        self.router = router
        self.interceptors = interceptors
        self.limiter = limiter
        self.requestMemory = requestMemory
        self.spans = spans
        self.metrics = metrics
        self.logger = logger
        self.inlineStarts = inlineStarts
    }

    /// The protocol state machine's view of this server.
    var machineConfiguration: ServerConnectionStateMachine.Configuration {
        ServerConnectionStateMachine.Configuration(
            name: self.configuration.name,
            build: self.configuration.build,
            limits: self.configuration.limits,
            routes: self.router.routes,
            defaultTimeout: self.configuration.defaultTimeout,
            overloadRetryHint: self.configuration.overloadRetryHint,
            allowedPeerUIDs: self.configuration.allowedPeerUIDs,
            maxBufferedRequestBytes: self.configuration.maxBufferedRequestBytesPerConnection,
            maxPingsPerSecond: self.configuration.maxPingsPerSecond,
            limiter: self.limiter,
            requestMemory: self.requestMemory,
            metrics: self.metrics
        )
    }
}
