@testable import AftercareAftersales
import AftercareAftersalesAPI
import AftercareRPC
import AftercareServiceKit
import Testing

/// Sends a machine's events to one case through the service's RPCs, with arguments under which a
/// row's guards hold: the review's outcome by the application (or the evidence and facts of a
/// review again), an actor's event by its call, a timer by moving the clock past its deadline, a
/// saga's outcome by its recording call (each with its own saga id and step).
struct ServiceDriver {
    /// How a due timer is made to fire.
    enum Firing: String, Sendable, CaseIterable {
        /// `CaseTimerService.fireDue()`, the background pass.
        case backgroundPass = "background pass"
        /// GetCase: a call touching the case fires its due timers first.
        case touch = "GetCase"
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let harness: AftersalesHarness
    let kind: CaseKind
    private(set) var caseID = ""
    /// Whether the seller's dispute of the receipt still accepts the line (for the row the buyer's
    /// acceptance of it refunds); by default it accepts nothing.
    var disputeAccepts = false
    private var sagas = 0

    init(_ harness: AftersalesHarness, kind: CaseKind) {
        self.harness = harness
        self.kind = kind
    }

    var wireKind: Aftercare_Aftersales_V1_CaseKind {
        switch self.kind {
        case .refundOnly: .refundOnly
        case .returnAndRefund: .returnAndRefund
        case .exchange: .exchange
        }
    }

    // MARK: The review

    /// The default policy with two rules it lacks: an exchange is approved, and so is a return
    /// with evidence for a reason that needs it (after `evidence_missing`, so a damaged item
    /// without a photo still needs evidence). The rows that need such an approval run under it.
    static let approvingPolicy: ReviewPolicy = {
        var yaml = PolicyFixtures.editedDefault(
            "  - id: amount_above_threshold\n",
            """
              - id: exchange_approved
                when: [exchange]
                outcome: approve
                say: "Your exchange of {line} is approved."
              - id: evidenced_return_approved
                when: [return_and_refund, reason_needs_evidence]
                outcome: approve
                say: "Your return of {requested} is approved on your evidence."
              - id: amount_above_threshold

            """)
        yaml = yaml.substituting("version: default-1", with: "version: rows-1")
        do {
            return try ReviewPolicy.load(yaml: yaml)
        } catch {
            preconditionFailure("the approving policy does not load: \(error)")
        }
    }()

    /// Whether a review to `outcome` needs ``approvingPolicy`` (the built-in policy never gives it).
    static func needsApprovingPolicy(_ outcome: ReviewOutcome, kind: CaseKind, again: Bool) -> Bool {
        outcome == .approve && (kind == .exchange || (again && kind == .returnAndRefund))
    }

    /// An application the policy reviews to `outcome`: refund-only on a paid order or a no-reason
    /// return in its window is approved (an exchange under ``approvingPolicy``); `damaged` without
    /// a photo needs evidence; the fixture goes to the seller; more than is refundable is ineligible.
    func application(reviewedAs outcome: ReviewOutcome) -> Aftercare_Aftersales_V1_OpenCaseRequest {
        switch outcome {
        case .approve:
            switch self.kind {
            case .refundOnly: Fixtures.application(self.wireKind, status: "paid")
            case .returnAndRefund: Fixtures.application(self.wireKind, reason: .noReason7D)
            case .exchange: Fixtures.application(self.wireKind)
            }
        case .needsEvidence: Fixtures.application(self.wireKind, reason: .damaged)
        case .sellerReview: Fixtures.application(self.wireKind)
        case .ineligible: Fixtures.application(self.wireKind, requested: 40_000)
        }
    }

    /// OpenCase with an application the policy reviews to `outcome`.
    mutating func open(reviewedAs outcome: ReviewOutcome) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        let response = try await self.harness.open(self.application(reviewedAs: outcome))
        self.caseID = response.record.caseID
        return response
    }

    /// The buyer's evidence in AWAITING_EVIDENCE, which the policy reviews again to `outcome`:
    /// a photo (and fresh facts of a paid order for a refund-only approval, of too little left
    /// to refund for ineligible); a text only, without a photo, still needs evidence.
    func addEvidence(reviewedAs outcome: ReviewOutcome) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        var request = Aftercare_Aftersales_V1_AddEvidenceRequest()
        request.action = try await self.harness.header(self.caseID, by: "buyer_1")
        request.party = .buyer
        request.evidence = [Fixtures.photo(1)]
        switch outcome {
        case .approve where self.kind == .refundOnly:
            request.facts = Fixtures.application(self.wireKind, status: "paid").facts
        case .needsEvidence:
            var text = Aftercare_Aftersales_V1_EvidenceInput()
            text.kind = .text
            text.text = "the box was crushed"
            request.evidence = [text]
        case .ineligible:
            request.facts = Fixtures.application(self.wireKind).facts
            request.facts.refundable = Fixtures.cny(5_000)
        default:
            break
        }
        return try await self.harness.client.unary(AftersalesMethods.addEvidence, request, options: AftersalesHarness.key("evidence"))
    }

    // MARK: Any event

    /// Sends `rule`'s event with arguments under which its guards hold.
    mutating func send(_ rule: CaseTransitionRule, firing: Firing = .backgroundPass) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        try await self.send(rule.event, satisfying: rule.guards, firing: firing)
    }

    /// Sends `event` through its RPC, with arguments under which `guards` hold (or the most
    /// accepting ones when none are given).
    mutating func send(
        _ event: CaseEvent, satisfying guards: [CaseGuard] = [], firing: Firing = .backgroundPass
    ) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        let harness = self.harness
        let caseID = self.caseID
        switch event {
        case .evaluate:
            guard caseID.isEmpty, let outcome = ServicePaths.outcome(of: guards)
            else { throw Failure(description: "evaluate has no call but OpenCase (and AddEvidence in AWAITING_EVIDENCE)") }
            return try await self.open(reviewedAs: outcome)
        case .buyerAddEvidence: return try await self.addEvidence(reviewedAs: .sellerReview)
        case .buyerWithdraw: return try await harness.act(AftersalesMethods.withdraw, caseID, by: "buyer_1")
        case .buyerAccept: return try await harness.act(AftersalesMethods.acceptOffer, caseID, by: "buyer_1")
        case .buyerDecline: return try await harness.act(AftersalesMethods.declineOffer, caseID, by: "buyer_1")
        case .buyerEscalate: return try await harness.act(AftersalesMethods.escalate, caseID, by: "buyer_1")
        case .buyerAcceptRejection: return try await harness.act(AftersalesMethods.acceptRejection, caseID, by: "buyer_1")
        case .buyerAcceptPartial: return try await harness.act(AftersalesMethods.acceptPartial, caseID, by: "buyer_1")
        case .sellerApprove: return try await harness.act(AftersalesMethods.approve, caseID, by: "seller_1")
        case .sellerReject: return try await harness.reject(caseID)
        case .sellerCounterOffer: return try await harness.counterOffer(caseID, amount: guards.contains(.offerIsReturnRequired) ? nil : 8_000)
        case .sellerConfirmReceipt: return try await harness.act(AftersalesMethods.confirmReceipt, caseID, by: "seller_1")
        case .sellerInspect: return try await harness.inspect(caseID, ok: [:])
        case .sellerDisputeReceipt: return try await harness.inspect(caseID, ok: ["line_1": self.disputeAccepts ? 1 : 0], dispute: true)
        case .platformRequestEvidence: return try await harness.requestEvidence(caseID, from: .seller)
        case .platformRuleForBuyer: return try await harness.ruleForBuyer(caseID, amount: 9_000)
        case .platformRuleForSeller: return try await harness.act(AftersalesMethods.ruleForSeller, caseID, by: "agent_7")
        case .operatorRetry: return try await harness.act(AftersalesMethods.retryRefund, caseID, by: "ops_1")
        case .operatorManualPayout: return try await harness.manualPayout(caseID, reference: "payout_1")
        case .operatorClose: return try await harness.act(AftersalesMethods.closeCase, caseID, by: "ops_1", note: "the refund cannot be paid")
        case .sellerTimerFired, .evidenceTimerFired, .offerTimerFired, .escalateTimerFired, .arbiterTimerFired, .shipTimerFired,
            .confirmTimerFired, .inspectTimerFired:
            guard case .timer(let timer) = event.source else { preconditionFailure("\(event) is a timer's") }
            return try await self.fire(timer, by: firing)
        case .refundRefunding: return try await self.outcome(AftersalesMethods.recordRefunding)
        case .refundRefunded:
            let amount = try await harness.get(caseID).record.amount.amountMinor
            return try await harness.refunded(caseID, amount: amount, saga: self.nextSaga().saga)
        case .refundFailed: return try await self.outcome(AftersalesMethods.recordRefundFailed, reason: "card_expired")
        case .returnSetupAwaitingReturn: return try await self.shipment(AftersalesMethods.recordAwaitingReturn, .return)
        case .returnSetupNothingRefundable: return try await self.outcome(AftersalesMethods.recordNothingRefundable, reason: "all refunded")
        case .returnSetupOutOfStock: return try await self.outcome(AftersalesMethods.recordReplacementOutOfStock, reason: "out of stock")
        case .returnCancellationClosed: return try await self.outcome(AftersalesMethods.recordReturnCancelled)
        case .returnCancellationAlreadyPickedUp: return try await self.outcome(AftersalesMethods.recordAlreadyPickedUp)
        case .carrierPickedUp: return try await self.carrier("picked_up", guards)
        case .carrierDelivered: return try await self.carrier("delivered", guards)
        case .carrierLost: return try await self.carrier("lost", guards)
        case .carrierOther: return try await self.carrier("in_transit", guards)
        case .returnToBuyerShipmentCreated: return try await self.shipment(AftersalesMethods.recordReturnToBuyerShipment, .backToBuyer)
        case .exchangeReplacementShipped: return try await self.shipment(AftersalesMethods.recordReplacementShipped, .replacement)
        case .exchangeOutOfStock: return try await self.outcome(AftersalesMethods.recordExchangeOutOfStock, reason: "out of stock")
        }
    }

    /// Moves the clock just past the running `timer`'s deadline and lets the service fire it.
    func fire(_ timer: CaseTimer, by firing: Firing) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        let current = try await self.harness.get(self.caseID)
        guard let running = current.record.timers.first(where: { $0.name == timer.rawValue && $0.status == .running }) else {
            throw Failure(description: "\(timer.rawValue) is not running on case \(self.caseID) in \(current.record.state)")
        }
        try self.harness.advance(micros: running.deadlineUnixMicros - self.harness.clock.nowMicros + 1)
        if firing == .backgroundPass {
            let moved = try await self.harness.timers.fireDue()
            #expect(moved == 1, "the background pass moved \(moved) cases firing \(timer.rawValue)")
        }
        return try await self.harness.get(self.caseID)
    }

    // MARK: Saga recordings

    private mutating func nextSaga() -> (saga: String, step: String) {
        self.sagas += 1
        return ("saga_\(self.sagas)", "step_\(self.sagas)")
    }

    private mutating func outcome(
        _ method: MethodDescriptor<Aftercare_Aftersales_V1_RecordSagaOutcomeRequest, Aftercare_Aftersales_V1_CaseResponse>, reason: String = ""
    ) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        let (saga, step) = self.nextSaga()
        return try await self.harness.outcome(method, self.caseID, reason: reason, saga: saga, step: step)
    }

    private mutating func shipment(
        _ method: MethodDescriptor<Aftercare_Aftersales_V1_RecordShipmentRequest, Aftercare_Aftersales_V1_CaseResponse>,
        _ shipment: CaseFacts.Shipment
    ) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        let (saga, step) = self.nextSaga()
        return try await self.harness.shipment(method, self.caseID, shipmentID: Self.shipmentID(shipment), saga: saga, step: step)
    }

    private func carrier(_ name: String, _ guards: [CaseGuard]) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        let shipment = Self.shipment(for: guards)
        return try await self.harness.carrier(self.caseID, name, shipment: shipment.rawValue, shipmentID: Self.shipmentID(shipment))
    }

    /// The shipment a carrier event is about: the one a guard names, else the return.
    static func shipment(for guards: [CaseGuard]) -> CaseFacts.Shipment {
        if guards.contains(.onReplacementShipment) { return .replacement }
        if guards.contains(.onBackToBuyerShipment) { return .backToBuyer }
        return .return
    }

    /// The id the driver's sagas give each shipment.
    static func shipmentID(_ shipment: CaseFacts.Shipment) -> String {
        switch shipment {
        case .return: "shp_return"
        case .replacement: "shp_replacement"
        case .backToBuyer: "shp_back"
        }
    }
}
