@testable import AftercareAftersales
import AftercareAftersalesAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import AftercareWire
import Foundation
import GRDB
import Logging

/// Aftersales in process on an in-memory database, with a test clock, its feed and ledgers and a
/// client; plus the calls the suites make, each with a fresh idempotency key.
struct AftersalesHarness: Sendable {

    let database: ServiceDatabase
    let clock: ServiceClock
    let feed: EventFeed
    let client: RPCClient
    /// The background timer pass, run by hand.
    let timers: CaseTimerService

    /// Runs `body` against an aftersales service deciding by `policy`, on `database` (a fresh one
    /// unless given: pass one to run a second service on the first one's data).
    static func run<Result: Sendable>(
        database: ServiceDatabase? = nil, policy: ReviewPolicy = .builtIn, _ body: @Sendable (AftersalesHarness) async throws -> Result
    ) async throws -> Result {
        let service = try InMemoryService("aftersales", migrations: .aftersales, database: database)
        let (database, clock, feed) = (service.database, service.clock, service.feed)
        let timers = CaseTimerService(
            database: database, clock: clock, feed: feed, policy: policy, interval: .seconds(3_600), batch: 2,
            logger: Logger.test("aftersales.timers"))
        let aftersales = AftersalesService(database: database, clock: clock, feed: feed, ledger: service.ledger, policy: policy)
        return try await service.serve([aftersales]) { client in
            try await body(AftersalesHarness(database: database, clock: clock, feed: feed, client: client, timers: timers))
        }
    }

    func dump() async throws -> [String] {
        try await self.database.dump()
    }

    func events() async throws -> [Aftercare_Common_V1_Event] {
        try await self.feed.read(afterSeq: 0, limit: 1_000)
    }

    /// The feed's events about one case, as `type` and the entry's event (or the saga requested).
    func eventTrail(_ caseID: String) async throws -> [String] {
        try await self.events().filter { $0.subjects.caseID == caseID }.map { event in
            if let saga = event.payload(as: Aftercare_Aftersales_V1_SagaRequested.self) { return "saga_requested: \(saga.saga)" }
            let change = event.payload(as: Aftercare_Aftersales_V1_CaseChanged.self)
            let suffix = change?.hasEntry == true ? ": \(change!.entry.event)" : ""
            return event.type.replacingOccurrences(of: "aftersales.case.", with: "") + suffix
        }
    }

    func advance(days: Int64 = 0, hours: Int64 = 0, micros: Int64 = 0) throws {
        try self.clock.advance(byMicros: days * Micros.day + hours * Micros.hour + micros)
    }

    static func key(_ name: String = "k") -> CallOptions {
        CallOptions(idempotencyKey: "\(name)-\(UUID().uuidString)")
    }

    static func saga(_ sagaID: String, _ step: String, _ direction: SagaDirection = .forward) -> CallOptions {
        CallOptions(saga: SagaContext(sagaID: sagaID, step: step, direction: direction))
    }

    // MARK: Calls

    func open(_ request: Aftercare_Aftersales_V1_OpenCaseRequest, key: String? = nil) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        try await self.client.unary(AftersalesMethods.openCase, request, options: key.map { CallOptions(idempotencyKey: $0) } ?? Self.key("open"))
    }

    func get(_ caseID: String) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        var request = Aftercare_Aftersales_V1_GetCaseRequest()
        request.caseID = caseID
        return try await self.client.unary(AftersalesMethods.getCase, request)
    }

    /// An action with nothing but its header, on the case's current version unless given.
    func act(
        _ method: MethodDescriptor<Aftercare_Aftersales_V1_CaseActionRequest, Aftercare_Aftersales_V1_CaseResponse>, _ caseID: String,
        by actorID: String, version: UInt64? = nil, reasonCode: String = "", note: String = ""
    ) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        let header = try await self.header(caseID, by: actorID, version: version, reasonCode: reasonCode, note: note)
        return try await self.client.unary(method, header, options: Self.key("act"))
    }

    func header(_ caseID: String, by actorID: String, version: UInt64? = nil, reasonCode: String = "", note: String = "") async throws
        -> Aftercare_Aftersales_V1_CaseActionRequest
    {
        var header = Aftercare_Aftersales_V1_CaseActionRequest()
        header.caseID = caseID
        header.actorID = actorID
        header.reasonCode = reasonCode
        header.note = note
        if let version {
            header.version = version
        } else {
            header.version = try await self.get(caseID).record.version
        }
        return header
    }

    /// A case in PENDING_SELLER approved by the seller, and its return label recorded by Return
    /// setup: AWAITING_RETURN_SHIPMENT with the return shipment `shp_return`.
    func awaitingReturn(_ caseID: String) async throws {
        _ = try await self.act(AftersalesMethods.approve, caseID, by: "seller_1")
        _ = try await self.shipment(AftersalesMethods.recordAwaitingReturn, caseID, shipmentID: "shp_return")
    }

    /// ``awaitingReturn(_:)``, then the return delivered and its receipt confirmed: INSPECTING.
    func inspecting(_ caseID: String) async throws {
        try await self.awaitingReturn(caseID)
        _ = try await self.carrier(caseID, "delivered")
        _ = try await self.act(AftersalesMethods.confirmReceipt, caseID, by: "seller_1")
    }

    func reject(_ caseID: String, reasonCode: String = "used_item", evidence: Int = 1) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        var request = Aftercare_Aftersales_V1_RejectRequest()
        request.action = try await self.header(caseID, by: "seller_1", reasonCode: reasonCode)
        request.evidence = (0..<evidence).map { Fixtures.photo($0) }
        return try await self.client.unary(AftersalesMethods.reject, request, options: Self.key("reject"))
    }

    func counterOffer(_ caseID: String, amount: Int64?) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        var request = Aftercare_Aftersales_V1_CounterOfferRequest()
        request.action = try await self.header(caseID, by: "seller_1")
        if let amount {
            request.offer.kind = .amount
            request.offer.amount = Fixtures.cny(amount)
        } else {
            request.offer.kind = .returnRequired
        }
        request.offer.note = "an offer"
        return try await self.client.unary(AftersalesMethods.counterOffer, request, options: Self.key("offer"))
    }

    func addEvidence(_ caseID: String, party: Aftercare_Aftersales_V1_Party = .buyer, by actorID: String = "buyer_1", count: Int = 1)
        async throws -> Aftercare_Aftersales_V1_CaseResponse
    {
        var request = Aftercare_Aftersales_V1_AddEvidenceRequest()
        request.action = try await self.header(caseID, by: actorID)
        request.party = party
        request.evidence = (0..<count).map { Fixtures.photo($0) }
        return try await self.client.unary(AftersalesMethods.addEvidence, request, options: Self.key("evidence"))
    }

    /// Per line of the case: `ok` units received in order, the rest damaged.
    func inspect(_ caseID: String, ok: [String: Int64], dispute: Bool = false) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        let record = try await self.get(caseID).record
        let lines = record.lines.map { line in
            var inspected = Aftercare_Aftersales_V1_InspectionLine()
            inspected.lineID = line.lineID
            inspected.receivedOk = ok[line.lineID] ?? line.quantity
            inspected.damaged = line.quantity - inspected.receivedOk
            return inspected
        }
        let header = try await self.header(caseID, by: "seller_1")
        if dispute {
            var request = Aftercare_Aftersales_V1_DisputeReceiptRequest()
            request.action = header
            request.lines = lines
            request.evidence = [Fixtures.photo(9)]
            return try await self.client.unary(AftersalesMethods.disputeReceipt, request, options: Self.key("dispute"))
        }
        var request = Aftercare_Aftersales_V1_InspectRequest()
        request.action = header
        request.lines = lines
        return try await self.client.unary(AftersalesMethods.inspect, request, options: Self.key("inspect"))
    }

    func requestEvidence(_ caseID: String, from party: Aftercare_Aftersales_V1_Party) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        var request = Aftercare_Aftersales_V1_RequestEvidenceRequest()
        request.action = try await self.header(caseID, by: "agent_7")
        request.party = party
        return try await self.client.unary(AftersalesMethods.requestEvidence, request, options: Self.key("request-evidence"))
    }

    func ruleForBuyer(_ caseID: String, amount: Int64) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        var request = Aftercare_Aftersales_V1_RuleForBuyerRequest()
        request.action = try await self.header(caseID, by: "agent_7")
        request.amount = Fixtures.cny(amount)
        return try await self.client.unary(AftersalesMethods.ruleForBuyer, request, options: Self.key("rule"))
    }

    func manualPayout(_ caseID: String, reference: String) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        var request = Aftercare_Aftersales_V1_ManualPayoutRequest()
        request.action = try await self.header(caseID, by: "ops_1")
        request.reference = reference
        return try await self.client.unary(AftersalesMethods.recordManualPayout, request, options: Self.key("payout"))
    }

    // MARK: Saga recordings
    // Each defaults to a saga id made of the case and the method, so two cases never share a step
    // (the step ledger would answer the first one's result).

    func outcome(
        _ method: MethodDescriptor<Aftercare_Aftersales_V1_RecordSagaOutcomeRequest, Aftercare_Aftersales_V1_CaseResponse>, _ caseID: String,
        reason: String = "", saga: String? = nil, step: String? = nil
    ) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        var request = Aftercare_Aftersales_V1_RecordSagaOutcomeRequest()
        request.caseID = caseID
        request.reason = reason
        return try await self.client.unary(method, request, options: Self.saga(saga ?? "saga-\(caseID)-\(method.fullName)", step ?? "record"))
    }

    func shipment(
        _ method: MethodDescriptor<Aftercare_Aftersales_V1_RecordShipmentRequest, Aftercare_Aftersales_V1_CaseResponse>, _ caseID: String,
        shipmentID: String, saga: String? = nil, step: String? = nil
    ) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        var request = Aftercare_Aftersales_V1_RecordShipmentRequest()
        request.caseID = caseID
        request.shipment.shipmentID = shipmentID
        request.shipment.carrier = "sf_express"
        request.shipment.trackingNumber = "SF\(shipmentID)"
        request.shipment.labelUri = "https://labels.example/\(shipmentID).pdf"
        return try await self.client.unary(method, request, options: Self.saga(saga ?? "saga-\(caseID)-\(method.fullName)", step ?? "record"))
    }

    func refunded(_ caseID: String, amount: Int64, saga: String? = nil) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        var request = Aftercare_Aftersales_V1_RecordRefundedRequest()
        request.caseID = caseID
        request.refundID = "rfd_\(caseID)"
        request.amount = Fixtures.cny(amount)
        return try await self.client.unary(AftersalesMethods.recordRefunded, request, options: Self.saga(saga ?? "saga-\(caseID)-refund", "record refunded"))
    }

    func carrier(
        _ caseID: String, _ event: String, shipment: String = "return", shipmentID: String = "shp_return", eventID: String? = nil
    ) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        var request = Aftercare_Aftersales_V1_RecordCarrierEventRequest()
        request.caseID = caseID
        request.shipmentKind = shipment
        request.shipmentID = shipmentID
        request.carrierEventID = eventID ?? "cev-\(UUID().uuidString)"
        request.event = event
        request.occurredAtUnixMicros = self.clock.nowMicros
        return try await self.client.unary(AftersalesMethods.recordCarrierEvent, request)
    }
}
