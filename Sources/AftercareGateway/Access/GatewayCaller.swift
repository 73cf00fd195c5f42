package import AftercareRPC
import AftercareServiceKit

/// A call's caller, authorised: its role (from its certificate) and, but for a carrier, the actor
/// it acts for. Built by ``GatewayAccess/caller(_:actors:)``; the handlers ask it whether the actor
/// may touch a record and how to call the services on its behalf.
package struct GatewayCaller: Sendable, Hashable {
    package var role: GatewayRole
    /// `nil` only for a carrier.
    package var actor: GatewayActor?

    package init(role: GatewayRole, actor: GatewayActor?) {
        self.role = role
        self.actor = actor
    }

    /// Refuses unless the actor is the record's buyer or seller, or sees everything.
    /// - Parameters:
    ///   - field: the request field that named the record, e.g. `order_id`.
    ///   - id: the record's id.
    /// - Throws: PERMISSION_DENIED naming `field`.
    package func requireParty(buyerID: String, sellerID: String, field: String, id: String) throws(RPCError) {
        guard let actor else { throw Self.denied(field, "a carrier may not read \(id)") }
        switch actor.kind {
        case .platform, .operator: return
        case .buyer where actor.id == buyerID: return
        case .seller where actor.id == sellerID: return
        default: throw Self.denied(field, "\(actor) is not a party to \(id)")
        }
    }

    /// The actor's own id for a request field that names a party (`buyer_id`, `seller_id`,
    /// `actor_id`): the field's value when it is empty or the actor's id.
    /// - Throws: PERMISSION_DENIED naming `field` when it names someone else.
    package func own(_ value: String, _ field: String) throws(RPCError) -> String {
        let id = self.actor?.id ?? ""
        guard value.isEmpty || value == id else {
            throw Self.denied(field, "\(field) \"\(value)\" is not the caller's actor \(self.actor.map { "\($0)" } ?? "(none)")")
        }
        return id
    }

    /// A refusal before anything ran: PERMISSION_DENIED naming `field`, outcome NOT_EXECUTED.
    static func denied(_ field: String, _ problem: String) -> RPCError {
        RPCError(.permissionDenied, "\(field): \(problem)", outcome: .notExecuted)
    }
}
