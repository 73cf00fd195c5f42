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
            response.services += await self.peerHealth(self.probeOptions(context))
            return response
        }
        router.unary(OperationsMethods.reconcile) { _, context in
            _ = try self.requireOperator(context)
            return try await self.reconciler.run(context.logger)
        }
    }

    /// Each service's health, by name, all asked at once; a service the gateway reaches as several
    /// instances is asked once per instance (no fail-over: an instance down is reported down).
    private func peerHealth(_ options: CallOptions) async -> [Aftercare_Gateway_V1_ServiceHealth] {
        let probes = self.peers.all.sorted { $0.key < $1.key }.flatMap { name, client in
            client.targets.count == 1 ? [(name, client, nil)] : client.targets.indices.map { (name, client, Optional($0)) }
        }
        return await withTaskGroup(of: (Int, Aftercare_Gateway_V1_ServiceHealth).self) { group in
            for (index, (name, client, instance)) in probes.enumerated() {
                group.addTask {
                    var entry: Aftercare_Gateway_V1_ServiceHealth
                    do {
                        let request = Aftercare_Common_V1_HealthRequest()
                        let health = if let instance {
                            try await client.unary(BuiltinMethods.health, request, options: options, instance: instance)
                        } else {
                            try await client.unary(BuiltinMethods.health, request, options: options)
                        }
                        entry = Self.health(name, health, error: nil)
                    } catch {
                        entry = Self.health(name, nil, error: "\(error)")
                    }
                    if let instance { entry.instance = client.targets[instance] }
                    return (index, entry)
                }
            }
            var entries = [Aftercare_Gateway_V1_ServiceHealth?](repeating: nil, count: probes.count)
            for await (index, entry) in group { entries[index] = entry }
            return entries.compactMap { $0 }
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
