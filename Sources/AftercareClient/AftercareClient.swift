import AftercareNIO
import AftercareRPC
import AftercareWire
public import Logging
public import ServiceLifecycle

/// A client of the Aftercare gateway: a typed async method for every call of the public API
/// (`aftercare.gateway.v1.Gateway`) and of the operator API (`aftercare.gateway.v1.Operations`),
/// over one multiplexed connection (Unix socket or TCP, mutual TLS), with default deadlines and
/// retries of the calls that are safe to retry.
///
/// The connection runs while ``run()`` does; ``withClient(_:logger:_:)`` runs it around a body:
///
/// ```swift
/// try await AftercareClient.withClient(.runDirectory("/tmp/aftercare-1000", certificate: "buyer-app",
///                                                    party: .buyer("buyer_lin"))) { client in
///     let order = try await client.placeOrder(NewOrder(sellerID: "seller_tea_house", currency: "CNY",
///         lines: [.init(sku: "tea-250g", title: "Longjing tea", quantity: 2, unitPriceMinor: 16_800)]))
///     _ = try await client.pay(orderID: order.orderID, channel: .alipay)
/// }
/// ```
///
/// Every method throws ``AftercareError``. The `proto-spec/gateway.proto` contract documents each
/// call: who may make it, its idempotency, what it answers.
public struct AftercareClient: Sendable, Service {
    let rpc: RPCClient
    let configuration: Configuration
    /// Whom calls act for unless their options say otherwise.
    public let party: Party?

    /// A client of the gateways `configuration` names; nothing connects until ``run()`` runs.
    public init(configuration: Configuration, logger: Logger = Logger(label: "aftercare-client")) {
        let tls = configuration.tls.map {
            ClientTLS(trustRootsFile: $0.caFile, serverName: $0.serverName, certificateFile: $0.certificateFile, privateKeyFile: $0.privateKeyFile)
        }
        self.rpc = RPCClient(
            transports: configuration.endpoints.map { NIOClientTransport(address: $0.address, tls: tls) },
            configuration: .init(name: configuration.name, defaultTimeout: configuration.defaultTimeout), logger: logger)
        self.configuration = configuration
        self.party = configuration.party
    }

    private init(sharing client: AftercareClient, party: Party?) {
        self.rpc = client.rpc
        self.configuration = client.configuration
        self.party = party
    }

    /// The same connection, acting for `party`: a seller app's client for one seller, say.
    public func acting(as party: Party) -> AftercareClient {
        AftercareClient(sharing: self, party: party)
    }

    /// Keeps the connection (connects on the first call, reconnects with back-off) until the task
    /// is cancelled or ``beginGracefulShutdown()`` is called; run it once per client, whichever
    /// ``acting(as:)`` copies share it.
    public func run() async throws {
        try await self.rpc.run()
    }

    /// Lets calls in flight finish, then closes the connection; ``run()`` returns.
    public func beginGracefulShutdown() {
        self.rpc.beginGracefulShutdown()
    }

    /// Runs a client of `configuration` for the duration of `body`.
    public static func withClient<Result: Sendable>(
        _ configuration: Configuration, logger: Logger = Logger(label: "aftercare-client"),
        _ body: @Sendable (AftercareClient) async throws -> Result
    ) async throws -> Result {
        let client = AftercareClient(configuration: configuration, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            defer { client.beginGracefulShutdown() }
            return try await body(client)
        }
    }

    // MARK: Calls

    /// Makes a unary call, retried as `retryable` allows.
    func call<Request, Response>(
        _ method: MethodDescriptor<Request, Response>, _ request: Request, _ options: CallOptions, _ retryable: Retryable
    ) async throws(AftercareError) -> Response {
        let prepared = try self.prepare(method.fullName, options, retryable)
        var backoff = self.configuration.retries.backoff
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await self.rpc.unary(method, request, options: prepared)
            } catch {
                let wait = try self.retryWait(after: error, attempt: attempt, method: method.fullName, retryable, &backoff)
                do { try await Task.sleep(for: wait) } catch { throw AftercareError(error, method: method.fullName, attempts: attempt) }
            }
        }
    }

    /// Makes a server-streaming call; `body` reads its responses. Not retried: the caller resumes
    /// from the last position it saw.
    func stream<Request, Response, Result: Sendable>(
        _ method: MethodDescriptor<Request, Response>, _ request: Request, _ options: CallOptions,
        _ body: @escaping @Sendable (ResponseStream<Response>) async throws -> Result
    ) async throws(AftercareError) -> Result {
        let prepared = try self.prepare(method.fullName, options, .safe)
        do {
            return try await self.rpc.serverStreaming(method, request, options: prepared, body)
        } catch {
            throw AftercareError(error, method: method.fullName, attempts: 1)
        }
    }

    /// The runtime's options for one call: deadline, key (made once for a keyed call), actor, trace.
    private func prepare(_ method: String, _ options: CallOptions, _ retryable: Retryable) throws(AftercareError) -> AftercareRPC.CallOptions {
        var traceParent: TraceParent?
        if let text = options.traceID {
            guard let traceID = TraceID(hex: text), !traceID.isZero else {
                throw AftercareError(
                    code: .invalidArgument, message: "traceID must be 32 lowercase hex digits, not \(text)", outcome: .notExecuted, method: method,
                    attempts: 0)
            }
            traceParent = TraceParent(traceID: traceID, parentID: .random(in: 1...UInt64.max))
        }
        let key = options.idempotencyKey ?? (retryable == .keyed ? Self.newKey() : nil)
        let party = options.party ?? self.party
        return AftercareRPC.CallOptions(
            timeout: options.timeout, traceParent: traceParent ?? .random(), idempotencyKey: key,
            actor: party?.description)
    }

    /// How long to wait before trying again after `error`, or the error to throw.
    private func retryWait(
        after error: any Error, attempt: Int, method: String, _ retryable: Retryable, _ backoff: inout Backoff
    ) throws(AftercareError) -> Duration {
        let failure = AftercareError(error, method: method, attempts: attempt)
        let policy = self.configuration.retries
        let allowed =
            switch retryable {
            case .safe, .keyed: failure.isTransient
            case .ifNotExecuted: failure.isTransient && failure.outcome == .notExecuted
            }
        guard allowed, attempt < policy.maxAttempts, !Task.isCancelled else { throw failure }
        return policy.wait(&backoff, hint: (error as? RPCError)?.retryAfter)
    }

    /// A fresh idempotency key: 32 random hex digits.
    private static func newKey() -> String {
        TraceID.random().description
    }
}
