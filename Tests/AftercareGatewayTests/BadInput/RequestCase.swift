import AftercareRPC

/// One bad request through the gateway's public API and the answer proto-spec/ gives it.
struct RequestCase: Sendable {
    /// Who calls: a role's certificate and the actor it names.
    enum Who: Sendable, CustomStringConvertible {
        case buyer, otherBuyer, seller, otherSeller, support, cli, carrier, intruder
        /// Any certificate (`buyer-app`, `seller-app`, `support`, `carrier`, `cli`, `intruder`) with any actor.
        case app(String, actor: String?)

        var client: String {
            switch self {
            case .buyer, .otherBuyer: "buyer-app"
            case .seller, .otherSeller: "seller-app"
            case .support: "support"
            case .cli: "cli"
            case .carrier: "carrier"
            case .intruder: "intruder"
            case .app(let client, _): client
            }
        }

        var actor: String? {
            switch self {
            case .buyer, .intruder: "buyer:\(GatewayWorld.buyer)"
            case .otherBuyer: "buyer:buyer_other"
            case .seller: "seller:\(GatewayWorld.seller)"
            case .otherSeller: "seller:seller_other"
            case .support: "platform:agent_1"
            case .cli: "operator:oncall"
            case .carrier: nil
            case .app(_, let actor): actor
            }
        }

        var description: String { "\(self.client) as \(self.actor ?? "(no actor)")" }
    }

    /// The call's idempotency key.
    enum Key: Sendable {
        /// A new one for each case.
        case fresh
        case none
        case fixed(String)
    }

    /// The method's name in `aftercare.gateway.v1.Gateway` or `.Operations`, e.g. `PayOrder`.
    let method: String
    let who: Who
    /// The request in protobuf JSON, with `{placeholders}` for the world's records (``BadInputFixtures``).
    let json: String
    let key: Key
    let code: RPCError.Code
    /// What the message must contain: the field (or state, or value) that is wrong.
    let naming: String
    /// The outcome the END must carry; nil: any. PERMISSION_DENIED and UNAUTHENTICATED (refusals by
    /// role, actor or party) must be NOT_EXECUTED (gateway.proto), and so must ABORTED (aftersales.proto,
    /// "Version tokens").
    let outcome: CallOutcome?
    /// Where the line is, for the report.
    let file: String
    let line: Int

    init(
        _ method: String, _ who: Who, _ json: String, key: Key = .fresh, _ code: RPCError.Code, _ naming: String, outcome: CallOutcome?? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        self.method = method
        self.who = who
        self.json = json
        self.key = key
        self.code = code
        self.naming = naming
        self.outcome = outcome ?? ([.permissionDenied, .unauthenticated, .aborted].contains(code) ? .notExecuted : nil)
        self.file = file
        self.line = line
    }
}
