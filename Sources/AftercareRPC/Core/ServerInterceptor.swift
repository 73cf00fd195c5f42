/// Code that runs around every handler: authorization, logging, metrics.
///
/// An interceptor may read or change the context, refuse the call by throwing an ``RPCError``
/// (give it outcome ``CallOutcome/notExecuted`` if the handler was not reached), or call `next`.
public protocol ServerInterceptor: Sendable {
    func intercept(
        context: ServerContext,
        next: @Sendable (ServerContext) async throws -> Void
    ) async throws
}
