/// On whose behalf a call is made: the `actor` metadata every gateway call names
/// (`proto-spec/gateway.proto`, "On whose behalf").
///
/// A client's certificate gives it one role (buyer app, seller app, support, operator); the party
/// says which buyer, seller or staff member of that role acts.
public enum Party: Sendable, Hashable, CustomStringConvertible {
    /// A buyer, e.g. `.buyer("buyer_lin")`; a buyer app may act only as buyers.
    case buyer(String)
    /// A seller; a seller app may act only as sellers.
    case seller(String)
    /// A member of the platform team (support).
    case platform(String)
    /// An on-call engineer (the operator API, `aftercare` CLI).
    case `operator`(String)

    /// `buyer:<id>`, `seller:<id>`, `platform:<id>` or `operator:<id>`, as the wire carries it.
    public var description: String {
        switch self {
        case .buyer(let id): "buyer:\(id)"
        case .seller(let id): "seller:\(id)"
        case .platform(let id): "platform:\(id)"
        case .operator(let id): "operator:\(id)"
        }
    }

    /// Parses a ``description``; `nil` for anything else.
    public init?(_ text: String) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let id = String(text[text.index(after: colon)...])
        guard !id.isEmpty else { return nil }
        switch text[..<colon] {
        case "buyer": self = .buyer(id)
        case "seller": self = .seller(id)
        case "platform": self = .platform(id)
        case "operator": self = .operator(id)
        default: return nil
        }
    }
}
