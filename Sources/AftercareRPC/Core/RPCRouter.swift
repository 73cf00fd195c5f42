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
        /// A unary handler that answers without suspending, registered as a synchronous closure:
        /// the server may run it where the call arrives, without a task. ``handler`` runs the same.
        let immediate: (@Sendable (ByteBuffer, ServerContext) throws -> ByteBuffer)?
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
        self.add(method, allowed: allowed, followsUntilCancelled: false, immediate: nil) { bytes, context, _ in
            try Self.encode(try await handler(try Self.decode(bytes), context))
        }
    }

    /// Registers a unary handler that answers without suspending (a closure with no `await`: a
    /// computation, a read of memory). The server runs it where the call arrives, without a task of
    /// its own — on the event loop for the first calls of a read burst, in the pool for the rest,
    /// several in one task —
    /// with everything any call gets: its deadline, its span, its END. Nothing cancels it while it
    /// runs (it is not told of a CANCEL or a deadline: `Task.isCancelled` stays `false`), but a call
    /// stopped before its handler returned ends as any stopped call does, with that END. Keep it
    /// short: other calls on the loop wait meanwhile.
    public mutating func unary<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        allowed: Set<String>? = nil,
        _ handler: @escaping @Sendable (Request, ServerContext) throws -> Response
    ) {
        let answer: @Sendable (ByteBuffer, ServerContext) throws -> ByteBuffer = { bytes, context in
            try Self.encode(try handler(try Self.decode(bytes), context))
        }
        self.add(method, allowed: allowed, followsUntilCancelled: false, immediate: answer) { bytes, context, _ in
            try answer(bytes, context)
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
        self.add(method, allowed: allowed, followsUntilCancelled: followsUntilCancelled, immediate: nil) { bytes, context, writer in
            try await handler(try Self.decode(bytes), context, ResponseWriter(raw: writer))
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
        immediate: (@Sendable (ByteBuffer, ServerContext) throws -> ByteBuffer)?,
        _ handler: @escaping @Sendable (ByteBuffer, ServerContext, RawResponseWriter) async throws -> ByteBuffer?
    ) {
        precondition(self.routes[method.fullName] == nil, "method \(method.fullName) registered twice")
        self.routes[method.fullName] = Route(
            name: method.fullName,
            kind: method.kind,
            requestType: Request.protoMessageName,
            responseType: Response.protoMessageName,
            allowed: allowed,
            followsUntilCancelled: followsUntilCancelled,
            handler: handler,
            immediate: immediate
        )
    }

    /// The request decoded from the frame's bytes; a request that is not a valid `Request` was
    /// not executed.
    private static func decode<Request: SwiftProtobuf.Message>(_ bytes: ByteBuffer) throws -> Request {
        do {
            return try Request(serializedBytes: ProtobufBytes(bytes))
        } catch {
            throw RPCError(.invalidArgument, "request is not a valid \(Request.protoMessageName): \(error)", outcome: .notExecuted)
        }
    }

    private static func encode<Response: SwiftProtobuf.Message>(_ response: Response) throws -> ByteBuffer {
        do {
            return try response.serializedBuffer()
        } catch {
            throw RPCError(.internal, "could not encode \(Response.protoMessageName): \(error)")
        }
    }
}
