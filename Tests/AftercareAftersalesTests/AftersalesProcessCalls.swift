import AftercareAftersalesAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import AftercareWire
import Foundation

/// The calls the process tests make on the real `aftercare-aftersales`, over a client of it.
struct AftersalesProcessCalls: Sendable {
    /// The background timer pass runs every 50 ms in these tests.
    static let arguments = ["--aftersales-timers-interval-ms", "50"]

    let client: RPCClient

    /// The service clock, now.
    func now() async throws -> Int64 {
        try await self.client.unary(OperatorMethods.getClock, .init()).nowUnixMicros
    }

    func advance(byMicros micros: Int64) async throws {
        var advance = Aftercare_Common_V1_AdvanceClockRequest()
        advance.byMicros = micros
        _ = try await self.client.unary(OperatorMethods.advanceClock, advance)
    }

    func open(_ request: Aftercare_Aftersales_V1_OpenCaseRequest, key: String) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        try await self.client.unary(AftersalesMethods.openCase, request, options: .init(idempotencyKey: key))
    }

    func get(_ caseID: String) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        var request = Aftercare_Aftersales_V1_GetCaseRequest()
        request.caseID = caseID
        return try await self.client.unary(AftersalesMethods.getCase, request)
    }

    /// The seller approves the case as it stands at `version`.
    func approve(_ caseID: String, version: UInt64, key: String) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        var request = Aftercare_Aftersales_V1_CaseActionRequest()
        request.caseID = caseID
        request.version = version
        request.actorID = "seller_1"
        return try await self.client.unary(AftersalesMethods.approve, request, options: .init(idempotencyKey: key))
    }

    /// The Refund saga's "record refunding" step.
    func recordRefunding(_ caseID: String, saga: String) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        var request = Aftercare_Aftersales_V1_RecordSagaOutcomeRequest()
        request.caseID = caseID
        return try await self.client.unary(
            AftersalesMethods.recordRefunding, request, options: .init(saga: SagaContext(sagaID: saga, step: "record refunding")))
    }

    /// The Refund saga's "record refunded" step.
    func recordRefunded(_ caseID: String, amount: Int64, saga: String) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        var request = Aftercare_Aftersales_V1_RecordRefundedRequest()
        request.caseID = caseID
        request.refundID = "rfd_\(caseID)"
        request.amount = Fixtures.cny(amount)
        return try await self.client.unary(
            AftersalesMethods.recordRefunded, request, options: .init(saga: SagaContext(sagaID: saga, step: "record refunded")))
    }

    /// The case's latest decision in full.
    func explain(_ caseID: String) async throws -> Aftercare_Aftersales_V1_Decision {
        var request = Aftercare_Aftersales_V1_ExplainDecisionRequest()
        request.caseID = caseID
        return try await self.client.unary(AftersalesMethods.explainDecision, request)
    }

    func replay(_ decisionID: String) async throws -> Aftercare_Aftersales_V1_ReplayDecisionResponse {
        var request = Aftercare_Aftersales_V1_ReplayDecisionRequest()
        request.decisionID = decisionID
        return try await self.client.unary(AftersalesMethods.replayDecision, request)
    }

    func policy() async throws -> Aftercare_Aftersales_V1_PolicyInfo {
        try await self.client.unary(AftersalesMethods.getPolicy, .init())
    }

    /// The feed's events (of `types`, or all).
    func events(_ types: [String] = []) async throws -> [Aftercare_Common_V1_Event] {
        var request = Aftercare_Common_V1_ReadEventsRequest()
        request.types = types
        request.limit = 1_000
        return try await self.client.unary(FeedMethods.readEvents, request).events
    }

    /// Polls the feed (touching no case) until it holds events of `type`, for up to 10 s.
    func waitForEvents(_ type: String) async throws -> [Aftercare_Common_V1_Event] {
        let deadline = ContinuousClock.now + .seconds(10)
        var events = try await self.events([type])
        while events.isEmpty && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            events = try await self.events([type])
        }
        return events
    }
}

extension ServiceProcess {
    /// Runs `body` with the aftersales calls over a client of this process.
    func withCalls<Result: Sendable>(_ body: @Sendable (AftersalesProcessCalls) async throws -> Result) async throws -> Result {
        try await self.withClient { client in try await body(AftersalesProcessCalls(client: client)) }
    }
}
