import NIOCore
import SwiftProtobuf

/// A set of services: what a server registers its handlers in.
public protocol RPCService: Sendable {
    /// Adds this service's methods to `router`.
    func register(in router: inout RPCRouter)
}

/// The methods a server answers, by wire name, with their handlers and allow-lists.
public struct RPCRouter: Sendable {
    /// One registered method, with its types erased.
    public struct Route: Sendable {
        public var name: String
        public var kind: MethodKind
        public var requestType: String
        public var responseType: String
        /// Principals that may call it; `nil` admits every caller that connected.
        public var allowed: Set<String>?
        /// A stream that runs until its client leaves (a feed): a drain ends it at once rather
        /// than waiting for it (WIRE.md §10), and the client follows again from where it was.
        public var followsUntilCancelled: Bool
        /// Runs the call; returns a unary call's response, which the server sends with END.
        let handler: @Sendable (ByteBuffer, ServerContext, RawResponseWriter) async throws -> ByteBuffer?
    }

    public private(set) var routes: [String: Route] = [:]

    public init() {}

    /// Registers a unary handler.
    ///
    /// A handler starts on its connection's event loop and leaves it at its first suspension:
    /// do nothing blocking before the first `await` (a database call, say) — other calls on the
    /// loop wait meanwhile.
    public mutating func unary<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        allowed: Set<String>? = nil,
        _ handler: @escaping @Sendable (Request, ServerContext) async throws -> Response
    ) {
        self.add(method, allowed: allowed, followsUntilCancelled: false) { request, context, _ in
            let response = try await handler(request, context)
            do {
                return try response.serializedBuffer()
            } catch {
                throw RPCError(.internal, "could not encode \(Response.protoMessageName): \(error)")
            }
        }
    }

    /// Registers a server-streaming handler. It starts on the event loop as a unary handler does.
    /// - Parameter followsUntilCancelled: the stream never ends by itself (a feed, an inbox): a
    ///   graceful shutdown ends it at once with `UNAVAILABLE`, and the client follows again.
    public mutating func serverStreaming<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        allowed: Set<String>? = nil,
        followsUntilCancelled: Bool = false,
        _ handler: @escaping @Sendable (Request, ServerContext, ResponseWriter<Response>) async throws -> Void
    ) {
        self.add(method, allowed: allowed, followsUntilCancelled: followsUntilCancelled) { request, context, writer in
            try await handler(request, context, ResponseWriter(raw: writer))
            return nil
        }
    }

    /// Replaces every route's allow-list by what `resolve` answers for it (the server's
    /// configuration, once, before serving).
    mutating func resolveAllowLists(_ resolve: (Route) -> Set<String>?) {
        for (name, route) in self.routes { self.routes[name]?.allowed = resolve(route) }
    }

    /// Registers every method of `service`.
    public mutating func add(_ service: some RPCService) {
        service.register(in: &self)
    }

    private mutating func add<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        allowed: Set<String>?,
        followsUntilCancelled: Bool,
        _ body: @escaping @Sendable (Request, ServerContext, RawResponseWriter) async throws -> ByteBuffer?
    ) {
        precondition(self.routes[method.fullName] == nil, "method \(method.fullName) registered twice")
        self.routes[method.fullName] = Route(
            name: method.fullName,
            kind: method.kind,
            requestType: Request.protoMessageName,
            responseType: Response.protoMessageName,
            allowed: allowed,
            followsUntilCancelled: followsUntilCancelled
        ) { bytes, context, writer in
            let request: Request
            do {
                request = try Request(serializedBytes: ProtobufBytes(bytes))
            } catch {
                throw RPCError(.invalidArgument, "request is not a valid \(Request.protoMessageName): \(error)", outcome: .notExecuted)
            }
            return try await body(request, context, writer)
        }
    }
}
