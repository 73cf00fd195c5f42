import AftercareAftersalesAPI
import AftercareRPC
import AftercareServiceKit

/// The buyer's, seller's, platform's and operators' actions: each checks its header, then applies
/// its machine event with the arguments it carries.
extension AftersalesService {
    func registerBuyerActions(in router: inout RPCRouter) {
        router.unary(AftersalesMethods.addEvidence) { request, context in try await self.addEvidence(request, context: context) }
        self.simple(AftersalesMethods.withdraw, .buyerWithdraw, as: .buyer, actor: "buyer", in: &router)
        self.simple(AftersalesMethods.acceptOffer, .buyerAccept, as: .buyer, actor: "buyer", in: &router)
        self.simple(AftersalesMethods.declineOffer, .buyerDecline, as: .buyer, actor: "buyer", in: &router)
        self.simple(AftersalesMethods.escalate, .buyerEscalate, as: .buyer, actor: "buyer", in: &router)
        self.simple(AftersalesMethods.acceptRejection, .buyerAcceptRejection, as: .buyer, actor: "buyer", in: &router)
        self.simple(AftersalesMethods.acceptPartial, .buyerAcceptPartial, as: .buyer, actor: "buyer", in: &router)
    }

    func registerSellerActions(in router: inout RPCRouter) {
        self.simple(AftersalesMethods.approve, .sellerApprove, as: .seller, actor: "seller", in: &router)
        self.simple(AftersalesMethods.confirmReceipt, .sellerConfirmReceipt, as: .seller, actor: "seller", in: &router)
        router.unary(AftersalesMethods.reject) { request, context in
            try RequestCheck.required(request.action.reasonCode, "action.reason_code")
            let evidence = try AftersalesRequestCheck.evidence(request.evidence, "evidence", minimum: 1)
            return try await self.act(request, header: request.action, field: "action.", as: .seller, actor: "seller", context: context) { record in
                var action = CaseEventRequest(.sellerReject, actor: "seller", actorID: request.action.actorID)
                action.evidence = Self.records(evidence, of: record, by: .seller, request.action.actorID, atMicros: self.cases.clock.nowMicros)
                return action
            }
        }
        router.unary(AftersalesMethods.counterOffer) { request, context in
            guard let kind = CaseFacts.Offer(request.offer.kind) else {
                throw RPCError.invalidField("offer.kind", "required: amount or return_required")
            }
            if kind == .amount {
                try RequestCheck.money(request.offer.amount, "offer.amount")
            } else if request.offer.hasAmount {
                throw RPCError.invalidField("offer.amount", "a \"return required\" offer has no amount")
            }
            try RequestCheck.optional(request.offer.note, "offer.note", maxLength: AftersalesLimits.note)
            return try await self.act(request, header: request.action, field: "action.", as: .seller, actor: "seller", context: context) { record in
                var action = CaseEventRequest(.sellerCounterOffer, actor: "seller", actorID: request.action.actorID)
                var offer = OfferRecord(kind: kind, amount: nil, note: request.offer.note)
                if kind == .amount {
                    offer.amount = try Self.amountWithin(request.offer.amount, "offer.amount", of: record)
                }
                action.offer = offer
                return action
            }
        }
        router.unary(AftersalesMethods.inspect) { request, context in
            let lines = try AftersalesRequestCheck.inspection(request.lines)
            return try await self.act(request, header: request.action, field: "action.", as: .seller, actor: "seller", context: context) { record in
                try AftersalesRequestCheck.inspection(lines, matches: record)
                var action = CaseEventRequest(.sellerInspect, actor: "seller", actorID: request.action.actorID)
                action.inspection = lines
                return action
            }
        }
        router.unary(AftersalesMethods.disputeReceipt) { request, context in
            let lines = try AftersalesRequestCheck.inspection(request.lines)
            let evidence = try AftersalesRequestCheck.evidence(request.evidence, "evidence", minimum: 1)
            return try await self.act(request, header: request.action, field: "action.", as: .seller, actor: "seller", context: context) { record in
                try AftersalesRequestCheck.inspection(lines, matches: record)
                var action = CaseEventRequest(.sellerDisputeReceipt, actor: "seller", actorID: request.action.actorID)
                action.inspection = lines
                action.evidence = Self.records(evidence, of: record, by: .seller, request.action.actorID, atMicros: self.cases.clock.nowMicros)
                return action
            }
        }
    }

    func registerPlatformActions(in router: inout RPCRouter) {
        router.unary(AftersalesMethods.requestEvidence) { request, context in
            guard let party = CaseParty(request.party), party != .platform else {
                throw RPCError.invalidField("party", "required: buyer or seller")
            }
            return try await self.act(request, header: request.action, field: "action.", as: nil, actor: "platform", context: context) { _ in
                var action = CaseEventRequest(.platformRequestEvidence, actor: "platform", actorID: request.action.actorID)
                action.party = party
                return action
            }
        }
        router.unary(AftersalesMethods.ruleForBuyer) { request, context in
            return try await self.act(request, header: request.action, field: "action.", as: nil, actor: "platform", context: context) { record in
                var action = CaseEventRequest(.platformRuleForBuyer, actor: "platform", actorID: request.action.actorID)
                if record.kind != .exchange {
                    try RequestCheck.money(request.amount, "amount")
                    action.amount = try Self.amountWithin(request.amount, "amount", of: record)
                }
                return action
            }
        }
        self.simple(AftersalesMethods.ruleForSeller, .platformRuleForSeller, as: nil, actor: "platform", in: &router)
        self.simple(AftersalesMethods.retryRefund, .operatorRetry, as: nil, actor: "operator", in: &router)
        router.unary(AftersalesMethods.recordManualPayout) { request, context in
            try RequestCheck.required(request.reference, "reference")
            return try await self.act(request, header: request.action, field: "action.", as: nil, actor: "operator", context: context) { _ in
                var action = CaseEventRequest(.operatorManualPayout, actor: "operator", actorID: request.action.actorID)
                action.reference = request.reference
                return action
            }
        }
        router.unary(AftersalesMethods.closeCase) { request, context in
            try RequestCheck.required(request.note, "note", maxLength: AftersalesLimits.note)
            return try await self.act(request, header: request, as: nil, actor: "operator", context: context) { _ in
                CaseEventRequest(.operatorClose, actor: "operator", actorID: request.actorID)
            }
        }
    }

    /// Adds evidence: in AWAITING_EVIDENCE the buyer's is `buyer.add_evidence` (reviewed again);
    /// anywhere else open it is kept with an "evidence added" entry; a closed case takes none, and
    /// while the platform arbitrates only the party it asked may add any, until its window ends.
    func addEvidence(
        _ request: Aftercare_Aftersales_V1_AddEvidenceRequest, context: ServerContext
    ) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        let header = request.action
        try AftersalesRequestCheck.action(header, "action.")
        guard let party = CaseParty(request.party) else { throw RPCError.invalidField("party", "required: buyer, seller or platform") }
        let evidence = try AftersalesRequestCheck.evidence(request.evidence, "evidence", minimum: 1)
        try await self.fireDue(header.caseID, context: context)
        return try await self.ledger.once(context, request: request) { db in
            var record = try self.cases.loadForChange(header.caseID, field: "action.case_id", in: db)
            try Cases.requireParty(header.actorID, party, of: record)
            try Cases.requireVersion(header.version, of: record)
            guard !record.isClosed else {
                throw RPCError.failedPrecondition("case is \(record.state.rawValue): evidence cannot be added (the case is closed)")
            }
            try self.cases.requireEvidenceWindow(party, of: record, in: db)
            let now = self.cases.clock.nowMicros
            let items = Self.records(evidence, of: record, by: party, header.actorID, atMicros: now)
            if record.state == .awaitingEvidence && party == .buyer {
                var action = CaseEventRequest(.buyerAddEvidence, actor: "buyer", actorID: header.actorID)
                action.evidence = items
                action.note = header.note
                if request.hasFacts {
                    var facts = record.facts
                    try AftersalesRequestCheck.facts(request.facts, currency: record.requested.currency).apply(to: &facts)
                    action.freshFacts = facts
                }
                try self.cases.apply(action, to: &record, context: context, in: db)
            } else {
                for item in items { try self.cases.store.insert(item, in: db) }
                let entry = try self.cases.appendEntry(
                    "evidence added", actor: party.rawValue, actorID: header.actorID,
                    note: header.note.isEmpty ? "\(items.count) item(s)" : header.note, to: &record, context: context, in: db)
                try self.cases.store.update(record, in: db)
                try self.cases.publish(AftersalesEventTypes.changed, try self.cases.message(record, in: db), entry: entry, context: context, in: db)
            }
            return try self.cases.answer(record, in: db)
        }
    }

    /// Evidence a party sends with an action, as the case keeps it.
    static func records(_ evidence: [EvidenceInput], of record: CaseRecord, by party: CaseParty, _ actorID: String, atMicros now: Int64)
        -> [EvidenceRecord]
    {
        evidence.map { $0.with(caseID: record.caseID, party: party, uploaderID: actorID, stage: record.state, atMicros: now) }
    }

    /// An amount in the case's currency and at most what the buyer asked for.
    static func amountWithin(_ money: Aftercare_Common_V1_Money, _ field: String, of record: CaseRecord) throws -> Amount {
        try RequestCheck.sameCurrency(money.currency, record.requested.currency, "\(field).currency")
        guard money.amountMinor <= record.requested.minor else {
            throw RPCError.invalidField("\(field).amount_minor", "at most the requested \(record.requested), got \(money.amountMinor)")
        }
        return Amount(money)
    }
}
