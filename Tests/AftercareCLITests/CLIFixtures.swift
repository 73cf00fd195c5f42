import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareRPC
import SwiftProtobuf

/// Responses like those `make run`'s scenarios (Examples/Demo) produce, built by hand: the sagas
/// of scenario 1 (a refund call lost, queried and retried) and 3 (a refund declined, compensated),
/// a saga whose commit failed several times with long statuses and messages before it stuck, and
/// scenario 3's case with its history, decision and sagas.
enum CLIFixtures {
    /// 2026-12-02 03:31:12.296 UTC.
    static let t0: Int64 = 1_796_182_272_296_000
    static let refundSteps: [Aftercare_Gateway_V1_SagaStepInfo] = [
        step("reserve_refund", "compensable", "orders", "aftercare.orders.v1.Orders/ReserveRefund", "aftercare.orders.v1.Orders/ReleaseRefund"),
        step("record_refunding", "compensable", "aftersales", "aftercare.aftersales.v1.Aftersales/RecordRefunding", "aftercare.aftersales.v1.Aftersales/RecordRefunding"),
        step("refund", "pivot", "payments", "aftercare.payments.v1.Payments/Refund"),
        step("commit_refund", "forward", "orders", "aftercare.orders.v1.Orders/CommitRefund"),
        step("record_refunded", "forward", "aftersales", "aftercare.aftersales.v1.Aftersales/RecordRefunded"),
        step("record_refund_failed", "on_compensated", "aftersales", "aftercare.aftersales.v1.Aftersales/RecordRefundFailed"),
    ]

    /// Scenario 1: the first refund call is lost, times out, is queried and called again.
    static var lostRefund: (Aftercare_Gateway_V1_SagaView, Aftercare_Gateway_V1_GetTraceResponse) {
        var saga = Saga("refund-evt_01M8TCWT8HGWWH4R7XA4JHDPSA", case: "cas_01M8TCWT8BNRBMXCCDVPNDXW1Y", trace: "6b794af609c1076542ccf21e1b4c7e2e")
        saga.call("reserve_refund", at: 0, took: 8_800, span: ("aftercare-orders", "aftercare.orders.v1.Orders/ReserveRefund", 5_100))
        saga.call("record_refunding", at: 9_000, took: 9_100, span: ("aftercare-aftersales", "aftercare.aftersales.v1.Aftersales/RecordRefunding", 2_800))
        saga.attempt("refund", at: 19_000, took: 5_000_000, result: "unknown", status: 4, message: "the call did not finish within its deadline")
        saga.attempt("refund", kind: "query", at: 5_020_000, took: 2_900, result: "queried_absent", status: 0, message: "the participant never received it")
        saga.call("refund", attempt: 2, at: 5_136_000, took: 7_800, backoff: 113_000, span: ("aftercare-payments", "aftercare.payments.v1.Payments/Refund", 4_200))
        saga.call("commit_refund", at: 5_145_000, took: 5_200, span: ("aftercare-orders", "aftercare.orders.v1.Orders/CommitRefund", 2_700))
        saga.call("record_refunded", at: 5_152_000, took: 7_400, span: ("aftercare-aftersales", "aftercare.aftersales.v1.Aftersales/RecordRefunded", 4_300))
        saga.other("aftercare-gateway", "aftercare.gateway.v1.Gateway/Apply", at: -40_000, took: 28_000)
        saga.other("aftercare-aftersales", "aftercare.aftersales.v1.Aftersales/ExplainDecision", at: -16_000, took: 1_100)
        saga.other("aftercare-payments", "aftercare.common.v1.Steps/QueryStep", at: 5_028_000, took: 887)
        saga.event(0, "started", "Refund")
        saga.event(5_171_000, "completed", "")
        return saga.finish(state: "completed", phase: "finished", step: "record_refunded", at: 5_171_000)
    }

    /// Scenario 3: the provider declines the refund; the saga compensates and records the failure.
    static var declinedRefund: (Aftercare_Gateway_V1_SagaView, Aftercare_Gateway_V1_GetTraceResponse) {
        var saga = Saga("refund-evt_01M8TCWV2K7Q9ZD3N4XGHEYB5P", case: "cas_01M8TCWV1Y6F0S8W2RNA3QTJ4M", trace: "0f3a91c2d4e5b6a7980112233445566f")
        saga.call("reserve_refund", at: 0, took: 7_100, span: ("aftercare-orders", "aftercare.orders.v1.Orders/ReserveRefund", 4_000))
        saga.call("record_refunding", at: 8_000, took: 6_300, span: ("aftercare-aftersales", "aftercare.aftersales.v1.Aftersales/RecordRefunding", 2_500))
        saga.attempt(
            "refund", at: 15_000, took: 12_400, result: "refused", status: 9,
            message: "the provider declined the refund: alipay answered REFUND_DECLINED (the first refund of a charge for an amount ending in 98 is declined by the simulator)")
        saga.call("record_refunding", direction: "compensate", at: 29_000, took: 4_100, span: ("aftercare-aftersales", "aftercare.aftersales.v1.Aftersales/RecordRefunding", 1_900))
        saga.call("reserve_refund", direction: "compensate", at: 34_000, took: 5_600, span: ("aftercare-orders", "aftercare.orders.v1.Orders/ReleaseRefund", 3_300))
        saga.call("record_refund_failed", at: 41_000, took: 6_000, span: ("aftercare-aftersales", "aftercare.aftersales.v1.Aftersales/RecordRefundFailed", 3_900))
        saga.event(0, "started", "Refund")
        saga.event(28_000, "compensating", "refund refused: FAILED_PRECONDITION the provider declined the refund")
        saga.event(48_000, "compensated", "")
        return saga.finish(state: "compensated", phase: "finished", step: "record_refund_failed", at: 48_000)
    }

    /// Orders fails the commit three times with long statuses and messages; the saga is stuck.
    static var stuckCommit: (Aftercare_Gateway_V1_SagaView, Aftercare_Gateway_V1_GetTraceResponse) {
        var saga = Saga("refund-evt_01M8TCWZ5B0C1D2E3F4G5H6J7K", case: "cas_01M8TCWZ4A9B8C7D6E5F4G3H2J", trace: "a1b2c3d4e5f60718293a4b5c6d7e8f90")
        saga.call("reserve_refund", at: 0, took: 6_000, span: ("aftercare-orders", "aftercare.orders.v1.Orders/ReserveRefund", 3_100))
        saga.call("record_refunding", at: 7_000, took: 5_000, span: ("aftercare-aftersales", "aftercare.aftersales.v1.Aftersales/RecordRefunding", 2_000))
        saga.call("refund", at: 13_000, took: 9_000, span: ("aftercare-payments", "aftercare.payments.v1.Payments/Refund", 5_500))
        saga.attempt(
            "commit_refund", at: 23_000, took: 5_000_000, result: "unknown", status: 4,
            message: "the call did not finish within its deadline (5 s); the orders service did not answer on /tmp/aftercare-1000/orders.sock")
        saga.attempt("commit_refund", kind: "query", at: 5_024_000, took: 3_000, result: "query_failed", status: 14, message: "connection refused: the orders service is not listening")
        saga.attempt(
            "commit_refund", attempt: 2, at: 5_300_000, took: 1_200, backoff: 250_000, result: "unknown", status: 14,
            message: "UNAVAILABLE: the connection to aftercare-orders closed before the call was answered (it was draining for a restart)")
        saga.attempt(
            "commit_refund", attempt: 3, at: 6_100_000, took: 2_000, backoff: 800_000, result: "refused", status: 8,
            message: "RESOURCE_EXHAUSTED: orders refuses new calls while its write queue holds 512 commits; try again after 2 s")
        saga.event(0, "started", "Refund")
        saga.event(6_102_000, "stuck", "commit_refund failed 3 times in a row; an operator must retry or resolve the saga")
        return saga.finish(state: "stuck", phase: "forward", step: "commit_refund", at: 6_102_000, reason: "commit_refund failed 3 times in a row; an operator must retry or resolve the saga")
    }

    /// Scenario 3's case: opened, approved, the refund declined, retried by an operator and refunded.
    static var declinedCase: (Aftercare_Gateway_V1_CaseView, [Aftercare_Gateway_V1_SagaView]) {
        let first = Self.declinedRefund.0
        var second = Self.lostRefund.0
        second.saga.sagaID = "refund-op_01M8TCX0AB3CD4EF5GH6JK7MN8"
        second.saga.caseID = first.saga.caseID
        second.saga.createdAtUnixMicros = Self.t0 + 900_000
        second.saga.updatedAtUnixMicros = Self.t0 + 6_071_000
        var view = Aftercare_Gateway_V1_CaseView()
        view.record = .with {
            $0.caseID = first.saga.caseID
            $0.kind = .refundOnly
            $0.state = "REFUNDED"
            $0.orderID = "ord_01M8TCWV0P5N4M3L2K1J0HGFED"
            $0.buyerID = "buyer_demo_li_wei"
            $0.sellerID = "seller_demo_hangzhou_tea_house"
            $0.amount = .init(9_898, "CNY")
        }
        let history: [(String, String, String, String, String, String, String, Int64)] = [
            ("opened", "buyer", "buyer_demo_li_wei", "", "SUBMITTED", "", "", -30_000),
            ("decided", "policy", "dec_01M8TCWV1Z2Y3X4W5V6U7T8S9R", "SUBMITTED", "APPROVED", "", "", -20_000),
            ("refund_started", "saga", "", "APPROVED", "REFUNDING", first.saga.sagaID, "record_refunding", 14_000),
            ("refund_failed", "saga", "", "REFUNDING", "REFUND_FAILED", first.saga.sagaID, "record_refund_failed", 47_000),
            ("refund_retried", "operator", "cli_demo_on_call_engineer", "REFUND_FAILED", "APPROVED", "", "", 880_000),
            ("refund_started", "saga", "", "APPROVED", "REFUNDING", second.saga.sagaID, "record_refunding", 918_000),
            ("refunded", "saga", "", "REFUNDING", "REFUNDED", second.saga.sagaID, "record_refunded", 6_070_000),
        ]
        view.history = history.enumerated().map { index, entry in
            .with {
                $0.seq = Int64(index + 1)
                ($0.event, $0.actor, $0.actorID, $0.fromState, $0.toState, $0.sagaID, $0.sagaStep) = (entry.0, entry.1, entry.2, entry.3, entry.4, entry.5, entry.6)
                $0.atUnixMicros = Self.t0 + entry.7
            }
        }
        view.decision = .with {
            $0.decisionID = "dec_01M8TCWV1Z2Y3X4W5V6U7T8S9R"
            $0.policyVersion = "2026-11-demo"
            $0.explanation = [
                "Decision: approve (seller may not refuse), by rule not_shipped_refund_only, policy 2026-11-demo (sha256:9c1e4f0a7b2d)",
                "Say to the buyer: Your refund of 98.98 CNY is approved at once because the order has not shipped; the seller cannot refuse it.",
                "Facts: refund_only, reason changed_mind, requested 98.98 CNY, refundable 98.98 CNY, paid 98.98 CNY, order PAID",
                "  not delivered, promised by 2026-12-05 (in 2 d 20 h); decided 2026-12-02 03:31:12",
                "  evidence: 0 photos, 0 videos, 1 texts",
                "  buyer over 90 days: 3 orders, paid 412.50 CNY, refunded 0.00 CNY",
                "  line lin_01M8TCWV0Q1R2S3T4U5V6W7X8Y: 1 × tea, 0 cases before",
                "Rules (the first that fires decides):",
                "  [ ] suspicious_buyer → review: the buyer was refunded more than half of what they paid over 90 days (0.00 of 412.50 CNY)",
                "  [x] not_shipped_refund_only → approve: a refund-only case on an order not yet shipped is approved whatever the reason",
                "  [ ] small_amount → approve: the amount is at most 50.00 CNY and the buyer has no case in the last 30 days",
            ].joined(separator: "\n")
        }
        view.sagas = [first.saga, second.saga]
        return (view, [first, second])
    }

    /// Sagas as `saga list` receives them.
    static var summaries: [Aftercare_Gateway_V1_SagaSummary] {
        [Self.stuckCommit.0.saga, Self.declinedRefund.0.saga, Self.lostRefund.0.saga]
    }

    static func step(_ name: String, _ role: String, _ participant: String, _ method: String, _ compensation: String = "") -> Aftercare_Gateway_V1_SagaStepInfo {
        .with {
            $0.name = name
            $0.role = role
            $0.participant = participant
            $0.method = method
            $0.compensationMethod = compensation
        }
    }

    /// A Refund saga written attempt by attempt, times in microseconds after `t0`.
    struct Saga {
        var view = Aftercare_Gateway_V1_SagaView()
        var spans: [Aftercare_Common_V1_Span] = []

        init(_ sagaID: String, case caseID: String, trace: String) {
            self.view.saga = .with {
                $0.sagaID = sagaID
                $0.definition = "Refund"
                $0.caseID = caseID
                $0.traceID = trace
                $0.createdAtUnixMicros = CLIFixtures.t0
            }
            self.view.steps = CLIFixtures.refundSteps
        }

        mutating func attempt(
            _ step: String, kind: String = "call", direction: String = "forward", attempt: UInt32 = 1, at: Int64, took: Int64, backoff: Int64 = 0,
            result: String, status: UInt32, message: String = ""
        ) {
            self.view.attempts.append(
                .with {
                    $0.seq = Int64(self.view.attempts.count + 1)
                    ($0.step, $0.kind, $0.direction, $0.attempt) = (step, kind, direction, attempt)
                    $0.startedAtUnixMicros = CLIFixtures.t0 + at
                    $0.endedAtUnixMicros = CLIFixtures.t0 + at + took
                    ($0.backoffMicros, $0.result, $0.statusCode, $0.message) = (backoff, result, status, message)
                })
        }

        /// A call that succeeded, and the span its service recorded.
        mutating func call(
            _ step: String, direction: String = "forward", attempt: UInt32 = 1, at: Int64, took: Int64, backoff: Int64 = 0,
            span: (service: String, method: String, took: Int64)
        ) {
            self.attempt(step, direction: direction, attempt: attempt, at: at, took: took, backoff: backoff, result: "ok", status: 0)
            self.spans.append(
                .with {
                    $0.spanID = "\(self.spans.count)"
                    ($0.service, $0.method) = (span.service, span.method)
                    $0.saga = .with {
                        ($0.sagaID, $0.step, $0.attempt) = (self.view.saga.sagaID, step, attempt)
                        $0.direction = direction == "compensate" ? .compensate : .forward
                    }
                    $0.startUnixMicros = CLIFixtures.t0 + at + 1_000
                    $0.durationMicros = span.took
                })
        }

        /// A span of the trace no attempt claims.
        mutating func other(_ service: String, _ method: String, at: Int64, took: Int64) {
            self.spans.append(
                .with {
                    $0.spanID = "\(self.spans.count)"
                    ($0.service, $0.method) = (service, method)
                    $0.startUnixMicros = CLIFixtures.t0 + at
                    $0.durationMicros = took
                })
        }

        mutating func event(_ at: Int64, _ kind: String, _ reason: String) {
            self.view.events.append(
                .with {
                    $0.seq = Int64(self.view.events.count + 1)
                    $0.atUnixMicros = CLIFixtures.t0 + at
                    ($0.kind, $0.reason) = (kind, reason)
                })
        }

        /// The view and its trace, the saga now `state`.
        func finish(state: String, phase: String, step: String, at: Int64, reason: String = "") -> (Aftercare_Gateway_V1_SagaView, Aftercare_Gateway_V1_GetTraceResponse) {
            var view = self.view
            (view.saga.state, view.saga.phase, view.saga.step, view.saga.reason) = (state, phase, step, reason)
            view.saga.updatedAtUnixMicros = CLIFixtures.t0 + at
            let services = Dictionary(grouping: self.spans, by: \.service).sorted { $0.key < $1.key }
            let trace = Aftercare_Gateway_V1_GetTraceResponse.with {
                $0.services = services.map { service, spans in .with { ($0.service, $0.spans) = (service, spans) } }
            }
            return (view, trace)
        }
    }
}
