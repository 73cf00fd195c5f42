package import AftercareRPC
package import AftercareServiceKit

/// The services the gateway calls, by name, and how a public call is carried to them: within the
/// caller's deadline, in its trace, for its actor, under a key derived from its own.
package struct GatewayPeers: Sendable {
    package let orders: RPCClient
    package let payments: RPCClient
    package let logistics: RPCClient
    package let aftersales: RPCClient
    package let feedback: RPCClient
    /// All five, by name.
    package let all: [String: RPCClient]

    /// - Parameter clients: one per name of ``GatewaySettings/peerNames``.
    /// - Throws: ``AftercareServiceKit/ServiceSettingsError`` naming `gateway.peers` when one is missing.
    package init(_ clients: [String: RPCClient]) throws(ServiceSettingsError) {
        func client(_ name: String) throws(ServiceSettingsError) -> RPCClient {
            guard let client = clients[name] else { throw ServiceSettingsError(key: "gateway.peers.\(name)", problem: "the gateway needs \(name)") }
            return client
        }
        self.orders = try client("orders")
        self.payments = try client("payments")
        self.logistics = try client("logistics")
        self.aftersales = try client("aftersales")
        self.feedback = try client("feedback")
        self.all = clients
    }

    /// The options of a read the gateway makes while serving `context`: the time the caller has
    /// left, the caller's trace (as this call's child), its actor.
    package static func options(_ context: ServerContext) -> CallOptions {
        CallOptions(
            timeout: max(.zero, ContinuousClock.now.duration(to: context.deadline)), traceParent: context.outgoingTraceParent,
            actor: context.actor)
    }

    /// The options of a mutation of `method` the gateway makes while serving `context`: those of
    /// ``options(_:)`` and the key `<actor>|<caller's key>|<service>.<Method>`, so one caller's retry
    /// repeats each call of the first attempt and two callers' keys never meet.
    /// - Throws: INVALID_ARGUMENT naming `idempotency_key` when the call has no key, or the derived
    ///   key would be longer than the protocol allows.
    package static func options<Request, Response>(
        _ context: ServerContext, keyFor method: MethodDescriptor<Request, Response>
    ) throws(RPCError) -> CallOptions {
        var options = self.options(context)
        let parts = method.fullName.split(separator: "/")
        let service = parts.first?.split(separator: ".").dropFirst().first ?? ""
        options.idempotencyKey = try self.derivedKey(context, "\(service).\(parts.last ?? "")")
        return options
    }

    /// `<actor>|<key>|<what>` for the call `context` serves.
    static func derivedKey(_ context: ServerContext, _ what: String) throws(RPCError) -> String {
        guard let key = context.idempotencyKey, context.saga == nil else {
            throw RPCError.invalidField("idempotency_key", "\(context.method) changes records: send an idempotency key, and the same one on every retry")
        }
        let derived = "\(context.actor ?? context.peer.description)|\(key)|\(what)"
        guard derived.utf8.count <= 255 else {
            throw RPCError.invalidField(
                "idempotency_key", "too long for the gateway to derive its calls' keys (actor, key and call in 255 bytes); use a shorter key")
        }
        return derived
    }
}
