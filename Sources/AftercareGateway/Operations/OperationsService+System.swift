import AftercareGatewayAPI
import AftercareRPC
import AftercareServiceKit
import AftercareWire

extension OperationsService {
    /// How long the gateway waits for each service's spans or health.
    static let probeTimeout: Duration = .seconds(3)

    func registerSystem(in router: inout RPCRouter) {
        router.unary(OperationsMethods.getTrace) { request, context in
            _ = try self.requireOperator(context)
            guard let traceID = TraceID(hex: request.traceID) else {
                throw RPCError.invalidField("trace_id", "expected 32 lowercase hex digits, got \"\(request.traceID)\"")
            }
            var response = Aftercare_Gateway_V1_GetTraceResponse()
            var own = Aftercare_Gateway_V1_ServiceSpans()
            own.service = "gateway"
            own.spans = try await self.ownSpans.spans(traceID: traceID, limit: 1_000).map(Aftercare_Common_V1_Span.init)
            response.services = [own]
            var query = Aftercare_Common_V1_QuerySpansRequest()
            query.traceID = traceID.description
            for (name, client) in self.peers.all.sorted(by: { $0.key < $1.key }) {
                var spans = Aftercare_Gateway_V1_ServiceSpans()
                spans.service = name
                do {
                    spans.spans = try await client.unary(BuiltinMethods.querySpans, query, options: self.probeOptions(context)).spans
                } catch {
                    spans.error = "\(error)"
                }
                response.services.append(spans)
            }
            return response
        }
        router.unary(OperationsMethods.systemHealth) { _, context in
            _ = try self.requireOperator(context)
            var response = Aftercare_Gateway_V1_SystemHealthResponse()
            response.services = [Self.health("gateway", await self.ownHealth(), error: nil)]
            for (name, client) in self.peers.all.sorted(by: { $0.key < $1.key }) {
                do {
                    let health = try await client.unary(BuiltinMethods.health, Aftercare_Common_V1_HealthRequest(), options: self.probeOptions(context))
                    response.services.append(Self.health(name, health, error: nil))
                } catch {
                    response.services.append(Self.health(name, nil, error: "\(error)"))
                }
            }
            return response
        }
        router.unary(OperationsMethods.reconcile) { _, context in
            _ = try self.requireOperator(context)
            return try await self.reconciler.run(context.logger)
        }
    }

    private func probeOptions(_ context: ServerContext) -> CallOptions {
        CallOptions(timeout: min(Self.probeTimeout, max(.zero, ContinuousClock.now.duration(to: context.deadline))), traceParent: context.outgoingTraceParent)
    }

    /// A service's health entry: up when it answered SERVING with every check ok.
    static func health(_ name: String, _ health: Aftercare_Common_V1_HealthResponse?, error: String?) -> Aftercare_Gateway_V1_ServiceHealth {
        var entry = Aftercare_Gateway_V1_ServiceHealth()
        entry.service = name
        if let health {
            entry.health = health
            let failing = health.checks.filter { !$0.ok }.map(\.name)
            entry.up = health.status == .serving && failing.isEmpty
            if health.status != .serving {
                entry.error = "\(health.status)"
            } else if !failing.isEmpty {
                entry.error = "failing checks: \(failing.joined(separator: ", "))"
            }
        }
        if let error { entry.error = error }
        return entry
    }
}
