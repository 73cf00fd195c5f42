@testable import AftercareAftersales
import AftercareAftersalesAPI
import AftercareRPC
import AftercareTesting
import AftercareServiceKit
import Foundation
import Testing

/// Every bad request is refused with the right status and a message naming the field or the
/// state, and leaves the database (cases, history, evidence, timers, decisions, ledgers, feed)
/// exactly as it was.
@Suite("Aftersales invalid requests", .serialized)
struct AftersalesInvalidRequestTests {
    /// The cases each example runs against.
    struct Fixture: Sendable {
        /// PENDING_SELLER, return-and-refund on ord_1 (one line, 100.00 CNY asked).
        var pending: String
        /// CLOSED_WITHDRAWN, on ord_2.
        var closed: String
        /// INSPECTING, on ord_3 (line_1 × 2).
        var inspecting: String
    }

    typealias Call = @Sendable (AftersalesHarness, Fixture) async throws -> Void

    typealias Example = InvalidRequest<AftersalesHarness, Fixture>

    static let long = String(repeating: "x", count: 300)

    static func open(_ edit: @escaping @Sendable (inout Aftercare_Aftersales_V1_OpenCaseRequest) -> Void) -> Call {
        { harness, _ in
            var request = Fixtures.application(order: "ord_new")
            edit(&request)
            _ = try await harness.open(request)
        }
    }

    static func action(
        _ method: MethodDescriptor<Aftercare_Aftersales_V1_CaseActionRequest, Aftercare_Aftersales_V1_CaseResponse>,
        on pick: @escaping @Sendable (Fixture) -> String, by actor: String, edit: @escaping @Sendable (inout Aftercare_Aftersales_V1_CaseActionRequest) -> Void = { _ in }
    ) -> Call {
        { harness, fixture in
            var header = try await harness.header(pick(fixture), by: actor)
            edit(&header)
            _ = try await harness.client.unary(method, header, options: AftersalesHarness.key("bad"))
        }
    }

    static func inspect(_ lines: [(String, Int64, Int64)]) -> Call {
        { harness, fixture in
            var request = Aftercare_Aftersales_V1_InspectRequest()
            request.action = try await harness.header(fixture.inspecting, by: "seller_1")
            request.lines = lines.map { lineID, ok, damaged in
                var line = Aftercare_Aftersales_V1_InspectionLine()
                line.lineID = lineID
                line.receivedOk = ok
                line.damaged = damaged
                return line
            }
            _ = try await harness.client.unary(AftersalesMethods.inspect, request, options: AftersalesHarness.key("bad"))
        }
    }

    static func carrier(_ edit: @escaping @Sendable (inout Aftercare_Aftersales_V1_RecordCarrierEventRequest, Fixture) -> Void) -> Call {
        { harness, fixture in
            var request = Aftercare_Aftersales_V1_RecordCarrierEventRequest()
            request.caseID = fixture.inspecting
            request.shipmentKind = "return"
            request.shipmentID = "shp_return"
            request.carrierEventID = "cev-bad"
            request.event = "in_transit"
            edit(&request, fixture)
            _ = try await harness.client.unary(AftersalesMethods.recordCarrierEvent, request)
        }
    }

    static let pending: @Sendable (Fixture) -> String = { $0.pending }
    static let closed: @Sendable (Fixture) -> String = { $0.closed }

    static let examples: [Example] = [
        // Applications.
        Example(name: "open: no kind", code: .invalidArgument, names: "kind", call: open { $0.kind = .unspecified }),
        Example(name: "open: no reason", code: .invalidArgument, names: "reason", call: open { $0.reason = .unspecified }),
        Example(name: "open: no order", code: .invalidArgument, names: "order_id", call: open { $0.orderID = "" }),
        Example(name: "open: buyer id too long", code: .invalidArgument, names: "buyer_id", call: open { $0.buyerID = long }),
        Example(name: "open: no lines", code: .invalidArgument, names: "lines", call: open { $0.lines = [] }),
        Example(name: "open: a line twice", code: .invalidArgument, names: "lines[1].line_id", call: open { $0.lines.append($0.lines[0]) }),
        Example(name: "open: zero quantity", code: .invalidArgument, names: "lines[0].quantity", call: open { $0.lines[0].quantity = 0 }),
        Example(name: "open: more units than an order line holds", code: .invalidArgument, names: "lines[0].quantity",
                call: open { $0.lines[0].quantity = 1_000_001 }),
        Example(name: "open: a line in another currency", code: .invalidArgument, names: "lines[0].unit_price.currency",
                call: open { $0.lines[0].unitPrice.currency = "USD" }),
        Example(name: "open: nothing requested", code: .invalidArgument, names: "requested.amount_minor", call: open { $0.requested.amountMinor = 0 }),
        Example(name: "open: bad currency", code: .invalidArgument, names: "requested.currency", call: open { $0.requested.currency = "cny" }),
        Example(name: "open: exchange of two lines", code: .invalidArgument, names: "lines",
                call: open { $0.kind = .exchange; $0.replacementSku = "sku_L"; $0.lines.append($0.lines[0]); $0.lines[1].lineID = "line_2" }),
        Example(name: "open: exchange without replacement", code: .invalidArgument, names: "replacement_sku", call: open { $0.kind = .exchange }),
        Example(name: "open: replacement for a refund", code: .invalidArgument, names: "replacement_sku", call: open { $0.replacementSku = "sku_L" }),
        Example(name: "open: unknown order status", code: .invalidArgument, names: "facts.order_status", call: open { $0.facts.orderStatus = "lost" }),
        Example(name: "open: refundable in another currency", code: .invalidArgument, names: "facts.refundable.currency",
                call: open { $0.facts.refundable.currency = "USD" }),
        Example(name: "open: negative paid", code: .invalidArgument, names: "facts.paid.amount_minor", call: open { $0.facts.paid.amountMinor = -1 }),
        Example(name: "open: photo without hash", code: .invalidArgument, names: "evidence[0].sha256",
                call: open { $0.evidence = [Fixtures.photo(1)]; $0.evidence[0].sha256 = "abc" }),
        Example(name: "open: text evidence with a file", code: .invalidArgument, names: "evidence[0].uri",
                call: open { var text = Aftercare_Aftersales_V1_EvidenceInput(); text.kind = .text; text.text = "see"; text.uri = "x"; $0.evidence = [text] }),
        Example(name: "open: 21 evidence items", code: .invalidArgument, names: "evidence",
                call: open { $0.evidence = (0..<21).map { Fixtures.photo($0) } }),
        Example(name: "open: a line with a case open", code: .failedPrecondition, names: "lines[0].line_id",
                call: { harness, _ in _ = try await harness.open(Fixtures.application()) }),
        Example(name: "open: no idempotency key", code: .invalidArgument, names: "idempotency_key",
                call: { harness, _ in _ = try await harness.client.unary(AftersalesMethods.openCase, Fixtures.application(order: "ord_new")) }),

        // Actions.
        Example(name: "approve: unknown case", code: .notFound, names: "case_id",
                call: action(AftersalesMethods.approve, on: pending, by: "seller_1") { $0.caseID = "cas_unknown" }),
        Example(name: "approve: no version", code: .invalidArgument, names: "version",
                call: action(AftersalesMethods.approve, on: pending, by: "seller_1") { $0.version = 0 }),
        Example(name: "approve: stale version", code: .aborted, names: "version",
                call: action(AftersalesMethods.approve, on: pending, by: "seller_1") { $0.version -= 1 }),
        Example(name: "approve: no actor", code: .invalidArgument, names: "actor_id",
                call: action(AftersalesMethods.approve, on: pending, by: "seller_1") { $0.actorID = "" }),
        Example(name: "approve: another seller", code: .permissionDenied, names: "actor_id", call: action(AftersalesMethods.approve, on: pending, by: "seller_2")),
        Example(name: "withdraw: note too long", code: .invalidArgument, names: "note",
                call: action(AftersalesMethods.withdraw, on: pending, by: "buyer_1") { $0.note = String(repeating: "y", count: 1_100) }),
        Example(name: "escalate in PENDING_SELLER", code: .failedPrecondition, names: "PENDING_SELLER",
                call: action(AftersalesMethods.escalate, on: pending, by: "buyer_1")),
        Example(name: "withdraw a closed case", code: .failedPrecondition, names: "CLOSED_WITHDRAWN",
                call: action(AftersalesMethods.withdraw, on: closed, by: "buyer_1")),
        Example(name: "retry refund in PENDING_SELLER", code: .failedPrecondition, names: "PENDING_SELLER",
                call: action(AftersalesMethods.retryRefund, on: pending, by: "ops_1")),
        Example(name: "close without a reason", code: .invalidArgument, names: "note", call: action(AftersalesMethods.closeCase, on: pending, by: "ops_1")),
        Example(name: "reject without a reason code", code: .invalidArgument, names: "action.reason_code",
                call: { harness, fixture in
                    var request = Aftercare_Aftersales_V1_RejectRequest()
                    request.action = try await harness.header(fixture.pending, by: "seller_1")
                    request.evidence = [Fixtures.photo(1)]
                    _ = try await harness.client.unary(AftersalesMethods.reject, request, options: AftersalesHarness.key("bad"))
                }),
        Example(name: "reject without evidence", code: .invalidArgument, names: "evidence",
                call: { harness, fixture in
                    var request = Aftercare_Aftersales_V1_RejectRequest()
                    request.action = try await harness.header(fixture.pending, by: "seller_1", reasonCode: "used")
                    _ = try await harness.client.unary(AftersalesMethods.reject, request, options: AftersalesHarness.key("bad"))
                }),
        Example(name: "counter-offer above the request", code: .invalidArgument, names: "offer.amount.amount_minor",
                call: { harness, fixture in
                    var request = Aftercare_Aftersales_V1_CounterOfferRequest()
                    request.action = try await harness.header(fixture.pending, by: "seller_1")
                    request.offer.kind = .amount
                    request.offer.amount = Fixtures.cny(10_001)
                    _ = try await harness.client.unary(AftersalesMethods.counterOffer, request, options: AftersalesHarness.key("bad"))
                }),
        Example(name: "counter-offer \"return required\" on a return", code: .failedPrecondition, names: "PENDING_SELLER",
                call: { harness, fixture in
                    var request = Aftercare_Aftersales_V1_CounterOfferRequest()
                    request.action = try await harness.header(fixture.pending, by: "seller_1")
                    request.offer.kind = .returnRequired
                    _ = try await harness.client.unary(AftersalesMethods.counterOffer, request, options: AftersalesHarness.key("bad"))
                }),
        Example(name: "counter-offer without a kind", code: .invalidArgument, names: "offer.kind",
                call: { harness, fixture in
                    var request = Aftercare_Aftersales_V1_CounterOfferRequest()
                    request.action = try await harness.header(fixture.pending, by: "seller_1")
                    _ = try await harness.client.unary(AftersalesMethods.counterOffer, request, options: AftersalesHarness.key("bad"))
                }),
        Example(name: "inspect: units do not add up", code: .invalidArgument, names: "lines[0]", call: inspect([("line_1", 1, 0)])),
        Example(name: "inspect: units whose sum overflows", code: .invalidArgument, names: "lines[0]", call: inspect([("line_1", .max, 2)])),
        Example(name: "inspect: unknown line", code: .invalidArgument, names: "lines[0].line_id", call: inspect([("line_9", 2, 0)])),
        Example(name: "inspect: negative units", code: .invalidArgument, names: "lines[0].damaged", call: inspect([("line_1", 3, -1)])),
        Example(name: "inspect: nothing accepted", code: .failedPrecondition, names: "something_accepted", call: inspect([("line_1", 0, 2)])),
        Example(name: "add evidence: no party", code: .invalidArgument, names: "party",
                call: { harness, fixture in
                    var request = Aftercare_Aftersales_V1_AddEvidenceRequest()
                    request.action = try await harness.header(fixture.pending, by: "buyer_1")
                    request.evidence = [Fixtures.photo(1)]
                    _ = try await harness.client.unary(AftersalesMethods.addEvidence, request, options: AftersalesHarness.key("bad"))
                }),
        Example(name: "add evidence to a closed case", code: .failedPrecondition, names: "CLOSED_WITHDRAWN",
                call: { harness, fixture in _ = try await harness.addEvidence(fixture.closed) }),
        Example(name: "request evidence from the platform", code: .invalidArgument, names: "party",
                call: { harness, fixture in _ = try await harness.requestEvidence(fixture.pending, from: .platform) }),
        Example(name: "rule for the buyer above the request", code: .invalidArgument, names: "amount.amount_minor",
                call: { harness, fixture in _ = try await harness.ruleForBuyer(fixture.pending, amount: 20_000) }),

        // Saga recordings.
        Example(name: "record refunding without a key", code: .invalidArgument, names: "idempotency_key",
                call: { harness, fixture in
                    var request = Aftercare_Aftersales_V1_RecordSagaOutcomeRequest()
                    request.caseID = fixture.pending
                    _ = try await harness.client.unary(AftersalesMethods.recordRefunding, request)
                }),
        // Outside a saga (with a key) a refused recording writes nothing; in a saga the step
        // ledger remembers the refusal (see the idempotency tests).
        Example(name: "record refunding in PENDING_SELLER", code: .failedPrecondition, names: "PENDING_SELLER",
                call: { harness, fixture in
                    var request = Aftercare_Aftersales_V1_RecordSagaOutcomeRequest()
                    request.caseID = fixture.pending
                    _ = try await harness.client.unary(AftersalesMethods.recordRefunding, request, options: AftersalesHarness.key("bad"))
                }),
        Example(name: "record awaiting return without a shipment", code: .invalidArgument, names: "shipment.shipment_id",
                call: { harness, fixture in _ = try await harness.shipment(AftersalesMethods.recordAwaitingReturn, fixture.pending, shipmentID: "") }),
        Example(name: "record refunded: another amount", code: .invalidArgument, names: "amount",
                call: { harness, fixture in
                    var request = Aftercare_Aftersales_V1_RecordRefundedRequest()
                    request.caseID = fixture.inspecting
                    request.refundID = "rfd_1"
                    request.amount = Fixtures.cny(1)
                    _ = try await harness.client.unary(AftersalesMethods.recordRefunded, request, options: AftersalesHarness.key("bad"))
                }),
        Example(name: "carrier: unknown shipment kind", code: .invalidArgument, names: "shipment_kind", call: carrier { request, _ in request.shipmentKind = "outbound" }),
        Example(name: "carrier: unknown event", code: .invalidArgument, names: "event", call: carrier { request, _ in request.event = "teleported" }),
        Example(name: "carrier: no event id", code: .invalidArgument, names: "carrier_event_id", call: carrier { request, _ in request.carrierEventID = "" }),
        Example(name: "carrier: another return shipment", code: .invalidArgument, names: "shipment_id", call: carrier { request, _ in request.shipmentID = "shp_other" }),
        Example(name: "carrier: an event id recorded on another case", code: .invalidArgument, names: "carrier_event_id",
                call: carrier { request, fixture in
                    request.caseID = fixture.pending
                    request.carrierEventID = "cev-taken"
                }),

        // Reads and decisions.
        Example(name: "get: unknown case", code: .notFound, names: "case_id",
                call: { harness, _ in _ = try await harness.get("cas_unknown") }),
        Example(name: "list: no owner", code: .invalidArgument, names: "owner",
                call: { harness, _ in _ = try await harness.client.unary(AftersalesMethods.listCases, .init()) }),
        Example(name: "list: unknown state", code: .invalidArgument, names: "state",
                call: { harness, _ in
                    var request = Aftercare_Aftersales_V1_ListCasesRequest()
                    request.buyerID = "buyer_1"
                    request.state = "DONE"
                    _ = try await harness.client.unary(AftersalesMethods.listCases, request)
                }),
        Example(name: "explain: both ids", code: .invalidArgument, names: "case_id",
                call: { harness, fixture in
                    var request = Aftercare_Aftersales_V1_ExplainDecisionRequest()
                    request.caseID = fixture.pending
                    request.decisionID = "dec_x"
                    _ = try await harness.client.unary(AftersalesMethods.explainDecision, request)
                }),
        Example(name: "replay: unknown decision", code: .notFound, names: "decision_id",
                call: { harness, _ in
                    var request = Aftercare_Aftersales_V1_ReplayDecisionRequest()
                    request.decisionID = "dec_unknown"
                    _ = try await harness.client.unary(AftersalesMethods.replayDecision, request)
                }),
        Example(name: "dry-run: period backwards", code: .invalidArgument, names: "to_unix_micros",
                call: { harness, _ in
                    var request = Aftercare_Aftersales_V1_DryRunPolicyRequest()
                    request.policyYaml = ReviewPolicy.defaultYAML
                    request.fromUnixMicros = 2
                    request.toUnixMicros = 1
                    _ = try await harness.client.unary(AftersalesMethods.dryRunPolicy, request)
                }),
    ]

    @Test(arguments: examples)
    func refused(_ example: Example) async throws {
        try await AftersalesHarness.run { harness in
            let pending = try await harness.open(Fixtures.application()).record.caseID
            let closed = try await harness.open(Fixtures.application(order: "ord_2")).record.caseID
            _ = try await harness.act(AftersalesMethods.withdraw, closed, by: "buyer_1")
            let inspecting = try await harness.open(Fixtures.application(order: "ord_3", lines: [("line_1", 2)], requested: 20_000)).record.caseID
            _ = try await harness.act(AftersalesMethods.approve, inspecting, by: "seller_1")
            _ = try await harness.shipment(AftersalesMethods.recordAwaitingReturn, inspecting, shipmentID: "shp_return")
            _ = try await harness.carrier(inspecting, "delivered", eventID: "cev-taken")
            _ = try await harness.act(AftersalesMethods.confirmReceipt, inspecting, by: "seller_1")
            let fixture = Fixture(pending: pending, closed: closed, inspecting: inspecting)
            let before = try await harness.dump()
            #expect(before.contains { $0.hasPrefix("feed_events:") } && before.contains { $0.hasPrefix("idempotency_keys:") })
            let problems = try await example.problems(harness, fixture) { try await harness.dump() }
            #expect(problems.isEmpty, "\(problems)")
        }
    }
}
