import AftercareGatewayAPI
import AftercareOrdersAPI
import AftercareRPC
import AftercareSagas
import AftercareServiceKit

extension GatewayService {
    /// `Gateway/GetTotals`: orders' totals (O / P / R) for the caller's own party, or for any party
    /// when the caller is platform staff or an operator.
    func registerTotals(in router: inout RPCRouter) {
        router.unary(GatewayMethods.getTotals) { request, context in
            let caller = try self.access.caller(context, actors: .anyone)
            let totals = try Self.totalsRequest(request, for: caller, nowMicros: self.engine.clock.nowMicros)
            return try await self.peers.orders.unary(OrdersMethods.getTotals, totals, options: GatewayPeers.options(context))
        }
    }

    /// `request` as the caller may ask it: a buyer's or seller's own totals (the kind defaults to
    /// theirs, the id to their own), the whole platform's when staff name no kind; a period that
    /// ends at 0 ends now (inclusive), one that starts at 0 starts at the beginning.
    /// - Throws: PERMISSION_DENIED naming `party_kind` or `party_id` for another party's totals.
    static func totalsRequest(
        _ request: Aftercare_Orders_V1_GetTotalsRequest, for caller: GatewayCaller, nowMicros: Int64
    ) throws(RPCError) -> Aftercare_Orders_V1_GetTotalsRequest {
        var request = request
        let own: Aftercare_Orders_V1_PartyKind? =
            switch caller.actor?.kind {
            case .buyer?: .buyer
            case .seller?: .seller
            default: nil
            }
        if let own, let actor = caller.actor {
            guard request.partyKind == .unspecified || request.partyKind == own else {
                throw GatewayCaller.denied("party_kind", "a \(actor.kind.rawValue) reads their own totals (\(own == .buyer ? "BUYER" : "SELLER"))")
            }
            request.partyKind = own
            request.partyID = try caller.own(request.partyID, "party_id")
        } else if request.partyKind == .unspecified && request.partyID.isEmpty {
            request.partyKind = .platform
        }
        if request.toUnixMicros == 0 { request.toUnixMicros = nowMicros + 1 }
        return request
    }
}
