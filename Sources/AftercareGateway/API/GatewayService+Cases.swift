import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareOrdersAPI
import AftercareRPC
import AftercareSagas
import AftercareServiceKit
import Logging

extension GatewayService {
    func registerCases(in router: inout RPCRouter) {
        router.unary(GatewayMethods.apply) { request, context in
            let caller = try self.access.caller(context, actors: [.buyer])
            _ = try caller.own(request.buyerID, "buyer_id")
            let options = try GatewayPeers.options(context, keyFor: AftersalesMethods.openCase)
            try CaseApplication.checkSizes(description: request.description_p, evidence: request.evidence)
            let opened = try await self.intents.send(key: options.idempotencyKey ?? "", request: request) {
                let order = try await self.order(request.orderID, for: caller, context)
                if request.kind == .exchange { try await self.checkExchange(request, order: order, context) }
                let totals = try await self.buyerTotals(order.buyerID, context)
                return try CaseApplication.openCase(request, order: order, buyerTotals: totals)
            } send: { open in
                try await self.peers.aftersales.unary(AftersalesMethods.openCase, open, options: options)
            }
            context.logger.info("case opened", metadata: ["case.id": "\(opened.record.caseID)", "case.state": "\(opened.record.state)"])
            return try await self.caseView(opened, context)
        }
        router.unary(GatewayMethods.getCase) { request, context in
            let caller = try self.access.caller(context, actors: .anyone)
            let response = try await self.caseResponse(request.caseID, context)
            try caller.requireParty(buyerID: response.record.buyerID, sellerID: response.record.sellerID, field: "case_id", id: request.caseID)
            return try await self.caseView(response, context)
        }
        router.unary(GatewayMethods.listCases) { request, context in
            let caller = try self.access.caller(context, actors: .anyone)
            var request = request
            switch (caller.actor?.kind, request.owner) {
            case (.buyer?, .buyerID(let id)?): request.buyerID = try caller.own(id, "buyer_id")
            case (.buyer?, nil): request.buyerID = try caller.own("", "buyer_id")
            case (.seller?, .sellerID(let id)?): request.sellerID = try caller.own(id, "seller_id")
            case (.seller?, nil): request.sellerID = try caller.own("", "seller_id")
            case (.buyer?, .orderID(let id)?), (.seller?, .orderID(let id)?): _ = try await self.order(id, for: caller, context)
            case (.buyer?, .sellerID?): throw GatewayCaller.denied("seller_id", "a buyer lists their own cases, by buyer_id or order_id")
            case (.seller?, .buyerID?): throw GatewayCaller.denied("buyer_id", "a seller lists their own cases, by seller_id or order_id")
            default: break
            }
            return try await self.peers.aftersales.unary(AftersalesMethods.listCases, request, options: GatewayPeers.options(context))
        }
        router.unary(GatewayMethods.addEvidence) { request, context in
            let caller = try self.access.caller(context, actors: [.buyer, .seller, .platform])
            let current = try await self.caseRecord(request.action.caseID, for: caller, context)
            let party: Aftercare_Aftersales_V1_Party =
                switch caller.actor?.kind {
                case .buyer?: .buyer
                case .seller?: .seller
                default: .platform
                }
            guard request.party == .unspecified || request.party == party else {
                throw GatewayCaller.denied("party", "\(caller.actor.map { "\($0)" } ?? "") adds evidence as \(party), not \(request.party)")
            }
            let options = try GatewayPeers.options(context, keyFor: AftersalesMethods.addEvidence)
            try CaseApplication.checkSizes(evidence: request.evidence)
            return try await self.intents.send(key: options.idempotencyKey ?? "", request: request) {
                var add = request
                add.party = party
                add.action.actorID = try caller.own(request.action.actorID, "action.actor_id")
                if party == .buyer, current.state == "AWAITING_EVIDENCE" {
                    let order = try await self.order(current.orderID, for: caller, context)
                    add.facts = CaseApplication.facts(order: order, buyerTotals: try await self.buyerTotals(order.buyerID, context))
                }
                return add
            } send: { add in
                try await self.peers.aftersales.unary(AftersalesMethods.addEvidence, add, options: options)
            }
        }
    }

    /// Case `id` with its history, from aftersales.
    func caseResponse(_ id: String, _ context: ServerContext) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        try RequestCheck.required(id, "case_id")
        var get = Aftercare_Aftersales_V1_GetCaseRequest()
        get.caseID = id
        return try await self.peers.aftersales.unary(AftersalesMethods.getCase, get, options: GatewayPeers.options(context))
    }

    /// Case `id`, if the caller's actor is its buyer or seller or sees everything.
    func caseRecord(_ id: String, for caller: GatewayCaller, _ context: ServerContext) async throws -> Aftercare_Aftersales_V1_Case {
        let record = try await self.caseResponse(id, context).record
        try caller.requireParty(buyerID: record.buyerID, sellerID: record.sellerID, field: "case_id", id: id)
        return record
    }

    /// The buyer's totals over the last 90 days, by the gateway's clock.
    func buyerTotals(_ buyerID: String, _ context: ServerContext) async throws -> Aftercare_Orders_V1_GetTotalsResponse {
        try await self.peers.orders.unary(
            OrdersMethods.getTotals, CaseApplication.totalsRequest(buyerID: buyerID, nowMicros: self.engine.clock.nowMicros),
            options: GatewayPeers.options(context))
    }
}
