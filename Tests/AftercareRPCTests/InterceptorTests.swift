import AftercareEcho
import AftercareInProcess
import AftercareRPC
import AftercareTesting
import AftercareWire
import Logging
import Synchronization
import Testing

/// Interceptors run around handlers, in order, and can refuse a call; handlers log with the trace id.
@Suite("Interceptors and call logging")
struct InterceptorTests {
    /// Records the order it ran in, and refuses calls without an actor.
    struct RequireActor: ServerInterceptor {
        let name: String
        let log: CallLog

        func intercept(context: ServerContext, next: @Sendable (ServerContext) async throws -> Void) async throws {
            self.log.append("\(self.name):\(context.method)")
            guard context.actor != nil else {
                throw RPCError(.unauthenticated, "\(context.method) needs an actor", outcome: .notExecuted)
            }
            try await next(context)
        }
    }

    final class CallLog: Sendable {
        private let entries = Mutex<[String]>([])
        func append(_ entry: String) { self.entries.withLock { $0.append(entry) } }
        var all: [String] { self.entries.withLock { $0 } }
    }

    @Test("interceptors run first to last and can refuse a call before the handler")
    func order() async throws {
        let log = CallLog()
        let transport = InProcessTransport()
        let server = RPCServer(
            transports: [transport.server],
            services: [EchoService { _ in log.append("handler") }],
            configuration: .init(name: "echo"),
            interceptors: [RequireActor(name: "first", log: log), RequireActor(name: "second", log: log)],
            logger: .test("interceptors"))
        let client = RPCClient(transport: transport.client(), configuration: .init(name: "t"), logger: .test("interceptors"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            group.addTask { try await client.run() }
            _ = try await client.unary(EchoService.say, Echo.say("a"), options: .init(actor: "buyer:b_1"))
            #expect(log.all == ["first:aftercare.echo.v1.Echo/Say", "second:aftercare.echo.v1.Echo/Say", "handler"])
            let error = await #expect(throws: RPCError.self) { try await client.unary(EchoService.say, Echo.say("b")) }
            #expect(error?.code == .unauthenticated)
            #expect(error?.outcome == .notExecuted)
            #expect(log.all.count == 4)
            client.beginGracefulShutdown()
            server.beginGracefulShutdown()
            try await group.waitForAll()
        }
    }

    @Test("a handler's logger carries the trace id, method and saga")
    func loggerMetadata() async throws {
        let captured = CapturedLogs()
        let logger = Logger(label: "capture") { _ in CapturingLogHandler(store: captured) }
        struct Logs: RPCService {
            static let say = MethodDescriptor<Aftercare_Echo_V1_EchoRequest, Aftercare_Echo_V1_EchoResponse>("test.Logs/Say")
            func register(in router: inout RPCRouter) {
                router.unary(Self.say) { _, context in
                    context.logger.info("handled")
                    return .init()
                }
            }
        }
        let transport = InProcessTransport()
        let server = RPCServer(transports: [transport.server], services: [Logs()], configuration: .init(name: "logs"), logger: logger)
        let client = RPCClient(transport: transport.client(), configuration: .init(name: "t"), logger: .test("logs"))
        let trace = TraceParent.random()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            group.addTask { try await client.run() }
            _ = try await client.unary(Logs.say, .init(), options: .init(traceParent: trace, saga: SagaContext(sagaID: "sg_7", step: "refund")))
            client.beginGracefulShutdown()
            server.beginGracefulShutdown()
            try await group.waitForAll()
        }
        let handled = try #require(captured.entries.first { $0.message == "handled" })
        #expect(handled.metadata["trace.id"] == "\(trace.traceID)")
        #expect(handled.metadata["rpc.method"] == "test.Logs/Say")
        #expect(handled.metadata["saga.id"] == "sg_7")
        #expect(handled.metadata["saga.step"] == "refund")
    }
}

/// Log records kept for a test to read.
final class CapturedLogs: Sendable {
    struct Entry: Sendable {
        var message: String
        var metadata: [String: String]
    }

    private let store = Mutex<[Entry]>([])
    func append(_ entry: Entry) { self.store.withLock { $0.append(entry) } }
    var entries: [Entry] { self.store.withLock { $0 } }
}

/// A log handler that keeps every record with its metadata flattened to strings.
struct CapturingLogHandler: LogHandler {
    let store: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = self.metadata.merging(event.metadata ?? [:]) { $1 }
        self.store.append(.init(message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
    }
}
