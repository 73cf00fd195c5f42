package import AftercareRPC
import AftercareServiceKit

/// Who may call which gateway method (`proto-spec/gateway.proto`, "Who may call" and "On whose
/// behalf"): the role table and the check each handler makes first.
package struct GatewayAccess: Sendable {
    package var roles: GatewayRoles

    package init(roles: GatewayRoles) {
        self.roles = roles
    }

    /// The caller of `context`, if its role may act for one of `actors`.
    /// - Parameters:
    ///   - actors: the actor kinds the method serves.
    ///   - carrier: whether a carrier (which names no actor) may call it.
    /// - Throws: PERMISSION_DENIED for a caller without a role, or whose role may not call the
    ///   method; UNAUTHENTICATED for a missing or malformed actor; PERMISSION_DENIED naming `actor`
    ///   for an actor the role may not use or the method does not serve.
    package func caller(_ context: ServerContext, actors: Set<GatewayActor.Kind>, carrier: Bool = false) throws(RPCError) -> GatewayCaller {
        guard let role = self.roles.role(of: context.peer) else {
            throw RPCError(.permissionDenied, "\(context.peer) has no gateway role (gateway.roles)", outcome: .notExecuted)
        }
        guard let kind = role.actorKind else {
            guard carrier else { throw RPCError(.permissionDenied, "role \(role) may not call \(context.method)", outcome: .notExecuted) }
            return GatewayCaller(role: role, actor: nil)
        }
        let actor = try GatewayActor(metadata: context.actor)
        guard actor.kind == kind else {
            throw GatewayCaller.denied("actor", "role \(role) acts only as \(kind.rawValue):<id>, not \(actor)")
        }
        guard actors.contains(kind) else {
            throw GatewayCaller.denied(
                "actor", "\(context.method) is for \(actors.map(\.rawValue).sorted().joined(separator: ", ")), not \(kind.rawValue)")
        }
        return GatewayCaller(role: role, actor: actor)
    }
}

extension Set where Element == GatewayActor.Kind {
    /// Every actor kind.
    package static let anyone: Self = [.buyer, .seller, .platform, .operator]
    /// Platform staff and operators.
    package static let staff: Self = [.platform, .operator]
}
