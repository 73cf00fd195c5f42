import AftercareWire
import Logging
import NIOCore

/// What every connection of one server shares.
struct ServerRuntime: Sendable {
    var configuration: RPCServer.Configuration
    var router: RPCRouter
    var interceptors: [any ServerInterceptor]
    var limiter: CallLimiter
    var requestMemory: RequestMemory
    var spans: any SpanStore
    var metrics: ServerMetrics
    var logger: Logger

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
