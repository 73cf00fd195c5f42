package import AftercareRPC
package import AftercareServiceKit
import AftercareAftersalesAPI
import Logging
import SwiftProtobuf

/// `aftercare.aftersales.v1.Aftersales` (`proto-spec/aftersales.proto`): cases, their review by
/// the policy, the actors' actions with version tokens, durable timers and the sagas' recordings.
/// Every mutation runs through ``MutationLedger/once(_:request:withoutKey:nothingToUndo:_:)``, after
/// the case's due timers have fired in their own transaction.
package struct AftersalesService: RPCService {
    let cases: Cases
    let database: any SQLDatabase
    let ledger: MutationLedger

    /// - Parameters:
    ///   - database: aftersales' database, on SQLite (migrated with ``AftercareServiceKit/ServiceMigrations/aftersales``) or
    ///     PostgreSQL (``AftercareServiceKit/SQLMigrations/aftersales``).
    ///   - clock: every timestamp and timer reads it.
    ///   - feed: aftersales' event feed; each change appends to it in its own transaction.
    ///   - ledger: the step and idempotency ledgers over `database`.
    ///   - policy: the review policy in force.
    package init(database: any SQLDatabase, clock: ServiceClock, feed: EventFeed, ledger: MutationLedger, policy: ReviewPolicy) {
        self.cases = Cases(store: AftersalesStore(), feed: feed, clock: clock, policy: policy)
        self.database = database
        self.ledger = ledger
    }

    package func register(in router: inout RPCRouter) {
        router.unary(AftersalesMethods.openCase) { request, context in
            let application = try AftersalesRequestCheck.openCase(request)
            return try await self.ledger.once(context, request: request) { db in
                let opened = try self.cases.open(application, context: context, in: db)
                return try self.explainedAnswer(opened.record, decision: opened.decision, in: db)
            }
        }
        router.unary(AftersalesMethods.getCase) { request, context in
            try RequestCheck.required(request.caseID, "case_id")
            try await self.fireDue(request.caseID, context: context)
            return try await self.database.snapshot { db in try self.explainedAnswer(try self.cases.load(request.caseID, in: db), in: db) }
        }
        router.unary(AftersalesMethods.listCases) { request, _ in
            let (key, value, filter, limit) = try AftersalesRequestCheck.list(request)
            return try await self.database.snapshot { db in
                let page = try self.cases.store.cases(
                    key, value, filter: filter, before: request.pageToken.isEmpty ? nil : request.pageToken, limit: limit + 1, in: db)
                var response = Aftercare_Aftersales_V1_ListCasesResponse()
                response.cases = try page.prefix(limit).map { try self.cases.message($0, in: db) }
                if page.count > limit { response.nextPageToken = page[limit - 1].caseID }
                return response
            }
        }
        self.registerBuyerActions(in: &router)
        self.registerSellerActions(in: &router)
        self.registerPlatformActions(in: &router)
        self.registerRecordings(in: &router)
        self.registerDecisions(in: &router)
    }

    /// Fires the case's due timers in their own transaction before a call touches it: a firing
    /// stays committed even when the call is then refused (or ABORTED) because of it.
    func fireDue(_ caseID: String, context: ServerContext) async throws {
        let now = self.cases.clock.nowMicros
        let due = try await self.database.snapshot { db in
            try self.cases.store.timers(caseID, in: db).contains { $0.status == .running && $0.deadlineMicros <= now }
        }
        guard due else { return }
        try await self.database.transaction { db in
            guard try self.cases.store.lockCase(caseID, in: db) else { return }
            var record = try self.cases.load(caseID, in: db)
            try self.cases.fireDue(&record, context: context, in: db)
        }
    }

    /// Runs an actor's action: the header checked, due timers fired, then once under the call's
    /// key: the case locked, its version and party checked, the action built and applied.
    func act<Request: SwiftProtobuf.Message>(
        _ request: Request, header: Aftercare_Aftersales_V1_CaseActionRequest, field: String = "", as party: CaseParty?, actor: String,
        context: ServerContext, _ build: @escaping @Sendable (CaseRecord) throws -> CaseEventRequest
    ) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        try AftersalesRequestCheck.action(header, field)
        try await self.fireDue(header.caseID, context: context)
        return try await self.ledger.once(context, request: request) { db in
            var record = try self.cases.loadForChange(header.caseID, field: field + "case_id", in: db)
            if let party { try Cases.requireParty(header.actorID, party, of: record) }
            try Cases.requireVersion(header.version, of: record)
            var action = try build(record)
            action.actor = actor
            action.actorID = header.actorID
            action.reasonCode = header.reasonCode
            action.note = header.note
            try self.cases.apply(action, to: &record, context: context, in: db)
            return try self.cases.answer(record, in: db)
        }
    }

    /// Registers an action that needs nothing but its header: `event` by `party`.
    func simple(
        _ method: MethodDescriptor<Aftercare_Aftersales_V1_CaseActionRequest, Aftercare_Aftersales_V1_CaseResponse>, _ event: CaseEvent,
        as party: CaseParty?, actor: String, in router: inout RPCRouter
    ) {
        router.unary(method) { request, context in
            try await self.act(request, header: request, as: party, actor: actor, context: context) { _ in
                CaseEventRequest(event, actor: actor, actorID: request.actorID)
            }
        }
    }
}
