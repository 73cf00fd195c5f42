package import AftercareRPC

/// What a caller of the gateway is, by its mutual-TLS identity (`proto-spec/gateway.proto`, "Who
/// may call"): each role may act for one kind of actor.
package enum GatewayRole: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// A shop front end, acting for buyers.
    case buyerApp = "buyer_app"
    /// A seller back office, acting for sellers.
    case sellerApp = "seller_app"
    /// The platform's support desk, acting for the platform team.
    case support
    /// A carrier's webhook relay: carrier events only, no actor.
    case carrier
    /// The on-call engineers' CLI: the Operations service and every read.
    case `operator`

    /// The kind of actor the role may name in `actor` (none for a carrier).
    package var actorKind: GatewayActor.Kind? {
        switch self {
        case .buyerApp: .buyer
        case .sellerApp: .seller
        case .support: .platform
        case .operator: .operator
        case .carrier: nil
        }
    }

    package var description: String { self.rawValue }
}

/// The gateway's role table (`gateway.roles.<role>`: the principals that have it).
package struct GatewayRoles: Sendable, Hashable {
    /// Principal (`name:<certificate name>`, `uid:<n>`, `gid:<n>`) → role.
    package var byPrincipal: [String: GatewayRole]

    package init(_ byPrincipal: [String: GatewayRole]) {
        self.byPrincipal = byPrincipal
    }

    /// The development certificates' names (`scripts/make-certs.sh`): `buyer-app`, `seller-app`,
    /// `support`, `carrier` and `cli` under `.aftercare.internal`.
    package static let defaults = GatewayRoles([
        "name:buyer-app.aftercare.internal": .buyerApp,
        "name:seller-app.aftercare.internal": .sellerApp,
        "name:support.aftercare.internal": .support,
        "name:carrier.aftercare.internal": .carrier,
        "name:cli.aftercare.internal": .operator,
    ])

    /// The role of a caller: its certificate name's first, then its uid's, then its gid's.
    package func role(of peer: PeerIdentity) -> GatewayRole? {
        let principals = [peer.certificateName.map { "name:\($0)" }, peer.uid.map { "uid:\($0)" }, peer.gid.map { "gid:\($0)" }]
        return principals.lazy.compactMap { $0.flatMap { self.byPrincipal[$0] } }.first
    }

    /// Every principal that has a role, for the server's allow-list.
    package var principals: Set<String> { Set(self.byPrincipal.keys) }
}
