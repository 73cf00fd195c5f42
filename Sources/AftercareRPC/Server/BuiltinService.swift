import AftercareWire
import Synchronization

/// The methods every server answers (WIRE.md §13), for clients to call.
public enum BuiltinMethods {
    public static let health = MethodDescriptor<Aftercare_Common_V1_HealthRequest, Aftercare_Common_V1_HealthResponse>(
        "aftercare.common.v1.Server/Health")
    public static let listMethods = MethodDescriptor<Aftercare_Common_V1_ListMethodsRequest, Aftercare_Common_V1_ListMethodsResponse>(
        "aftercare.common.v1.Server/ListMethods")
    public static let querySpans = MethodDescriptor<Aftercare_Common_V1_QuerySpansRequest, Aftercare_Common_V1_QuerySpansResponse>(
        "aftercare.common.v1.Server/QuerySpans")
}

/// One row of the method listing.
struct MethodListing: Sendable {
    var name: String
    var kind: MethodKind
    var requestType: String
    var responseType: String
    var allowed: Set<String>?
}

/// The methods every server answers: health, method listing, spans (WIRE.md §13).
final class BuiltinService: RPCService {
    private struct State {
        var methods: [MethodListing] = []
        var draining = false
    }

    private let configuration: RPCServer.Configuration
    private let spans: any SpanStore
    private let checks: [HealthCheck]
    private let started = ContinuousClock.now
    private let state = Mutex(State())

    init(configuration: RPCServer.Configuration, spans: any SpanStore, checks: [HealthCheck]) {
        self.configuration = configuration
        self.spans = spans
        self.checks = checks
    }

    var methods: [MethodListing] {
        get { self.state.withLock { $0.methods } }
        set { self.state.withLock { $0.methods = newValue } }
    }

    func markDraining() {
        self.state.withLock { $0.draining = true }
    }

    func register(in router: inout RPCRouter) {
        router.unary(BuiltinMethods.health) { _, _ in await self.healthResponse() }
        router.unary(BuiltinMethods.listMethods) { _, _ in self.listing() }
        router.unary(BuiltinMethods.querySpans) { request, _ in try await self.querySpans(request) }
    }

    private func healthResponse() async -> Aftercare_Common_V1_HealthResponse {
        await HealthReport(service: self.configuration.name, build: self.configuration.build, started: self.started, checks: self.checks)
            .response(draining: self.state.withLock { $0.draining })
    }

    private func listing() -> Aftercare_Common_V1_ListMethodsResponse {
        var response = Aftercare_Common_V1_ListMethodsResponse()
        response.methods = self.methods.sorted { $0.name < $1.name }.map { method in
            var info = Aftercare_Common_V1_MethodInfo()
            info.name = method.name
            info.kind = method.kind == .unary ? .unary : .serverStreaming
            info.requestType = method.requestType
            info.responseType = method.responseType
            info.allowed = method.allowed.map { $0.sorted() } ?? []
            return info
        }
        return response
    }

    private func querySpans(_ request: Aftercare_Common_V1_QuerySpansRequest) async throws -> Aftercare_Common_V1_QuerySpansResponse {
        guard let traceID = TraceID(hex: request.traceID), !traceID.isZero else {
            throw RPCError(.invalidArgument, "trace_id must be 32 hex digits, got \"\(request.traceID)\"", outcome: .notExecuted)
        }
        let limit = request.limit == 0 ? 1_000 : Int(request.limit)
        var response = Aftercare_Common_V1_QuerySpansResponse()
        response.spans = try await self.spans.spans(traceID: traceID, limit: limit).map(Aftercare_Common_V1_Span.init)
        return response
    }
}
