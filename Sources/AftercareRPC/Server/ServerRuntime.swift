import Logging

/// What every connection of one server shares.
struct ServerRuntime: Sendable {
    var configuration: RPCServer.Configuration
    var router: RPCRouter
    var interceptors: [any ServerInterceptor]
    var limiter: CallLimiter
    var spans: any SpanStore
    var logger: Logger
}
