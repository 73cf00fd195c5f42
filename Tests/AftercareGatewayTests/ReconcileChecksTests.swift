@testable import AftercareGateway
import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
@testable import AftercareSagas
import AftercareWire
import SwiftProtobuf
import Testing

/// The reconciliation checks on hand-made snapshots, for the disagreements the services'
/// executables cannot be talked into: a REFUNDED case without its refund, a completed Refund saga
/// whose case is elsewhere; and what a running saga keeps quiet.
@Suite("Reconciliation checks")
struct ReconcileChecksTests {
    static func saga(_ id: String, _ definition: String, _ state: SagaState) -> SagaRecord {
        SagaRecord(
            id: id, definition: definition, version: 1, state: state, phase: state.isActive ? .forward : .finished, position: 0, tries: 0,
            awaitingQuery: false, values: [:], traceID: .random(), completed: [], compensations: [], reason: "", forwardStartedMicros: 1,
            compensationStartedMicros: nil, createdMicros: 1, updatedMicros: 1)
    }

    static func refundedCase(refundID: String, amount: Int64) -> Aftercare_Aftersales_V1_Case {
        .with {
            $0.caseID = "cas_1"
            $0.orderID = "ord_1"
            $0.kind = .refundOnly
            $0.state = "REFUNDED"
            $0.closed = true
            $0.refundID = refundID
            $0.amount = Aftercare_Common_V1_Money(amount, "CNY")
        }
    }

    static func order(refunds: [Aftercare_Payments_V1_Refund], refunded: Int64) -> ReconcileSnapshot.OrderFacts {
        ReconcileSnapshot.OrderFacts(
            order: .with { $0.orderID = "ord_1"; $0.paymentID = "pay_1"; $0.refunded = Aftercare_Common_V1_Money(refunded, "CNY"); $0.total = Aftercare_Common_V1_Money(9_000, "CNY") },
            refunds: refunds)
    }

    static func refund(_ id: String, _ amount: Int64, _ status: Aftercare_Payments_V1_RefundStatus) -> Aftercare_Payments_V1_Refund {
        .with { $0.refundID = id; $0.amount = Aftercare_Common_V1_Money(amount, "CNY"); $0.status = status; $0.sagaID = "refund-1" }
    }

    @Test("a REFUNDED case whose refund payments do not hold as succeeded, or hold for another amount")
    func refundedWithoutRefund() {
        for (refunds, refunded) in [([Self.refund("rfd_1", 5_000, .refundFailed)], Int64(0)), ([Self.refund("rfd_1", 4_000, .refundSucceeded)], 4_000), ([], 0)] {
            let snapshot = ReconcileSnapshot(
                cases: [.init(record: Self.refundedCase(refundID: "rfd_1", amount: 5_000), reservation: nil, sagas: [], returnShipment: nil)],
                orders: [Self.order(refunds: refunds, refunded: refunded)], sagas: [], caseOfSaga: [:])
            let found = ReconcileChecks.disagreements(snapshot)
            #expect(found.map(\.kind) == ["case_refunded_without_refund"], "\(refunds)")
            #expect(found.first?.records.map(\.id) == ["cas_1", "rfd_1"])
        }
    }

    @Test("an order no one could read: reported unreadable, and its REFUNDED case's refund is not taken for missing")
    func unreadableOrder() {
        let unreadable = ReconcileChecks.disagreement("unreadable", "order ord_1 was not compared", [ReconcileChecks.ref("orders", "order", "ord_1")])
        let snapshot = ReconcileSnapshot(
            cases: [.init(record: Self.refundedCase(refundID: "rfd_1", amount: 5_000), reservation: nil, sagas: [], returnShipment: nil)],
            orders: [], sagas: [], caseOfSaga: [:], unreadable: [unreadable], unreadableOrders: ["ord_1"])
        #expect(ReconcileChecks.disagreements(snapshot) == [unreadable])
        var known = snapshot
        known.unreadable = []
        known.unreadableOrders = []
        #expect(ReconcileChecks.disagreements(known).map(\.kind) == ["case_refunded_without_refund"])
    }

    @Test("a completed Refund saga whose case is not REFUNDED; the newest Refund saga is the one that counts")
    func completedSagaCaseElsewhere() {
        var record = Self.refundedCase(refundID: "", amount: 5_000)
        record.state = "REFUND_FAILED"
        record.closed = false
        let completed = Self.saga("refund-1", GatewaySagas.Name.refund, .completed)
        let compensated = Self.saga("refund-2", GatewaySagas.Name.refund, .compensated)
        let mismatch = ReconcileSnapshot(
            cases: [.init(record: record, reservation: nil, sagas: [completed], returnShipment: nil)], orders: [], sagas: [completed],
            caseOfSaga: ["refund-1": "cas_1"])
        #expect(ReconcileChecks.disagreements(mismatch).map(\.kind) == ["saga_case_mismatch"])
        #expect(ReconcileChecks.disagreements(mismatch).first?.records.map(\.id) == ["refund-1", "cas_1"])
        let later = ReconcileSnapshot(
            cases: [.init(record: record, reservation: nil, sagas: [completed, compensated], returnShipment: nil)], orders: [],
            sagas: [completed, compensated], caseOfSaga: ["refund-1": "cas_1", "refund-2": "cas_1"])
        #expect(ReconcileChecks.disagreements(later).isEmpty)
    }

    @Test("while a saga of the case runs, its half-done effects are not reported")
    func runningSagaIsQuiet() {
        var record = Self.refundedCase(refundID: "", amount: 5_000)
        record.state = "REFUNDING"
        record.closed = false
        let running = Self.saga("refund-1", GatewaySagas.Name.refund, .running)
        let open = Aftercare_Orders_V1_Reservation.with { $0.caseID = "cas_1"; $0.status = .open }
        let snapshot = ReconcileSnapshot(
            cases: [.init(record: record, reservation: open, sagas: [running], returnShipment: nil)],
            orders: [Self.order(refunds: [Self.refund("rfd_1", 5_000, .refundSucceeded)], refunded: 0)], sagas: [running],
            caseOfSaga: ["refund-1": "cas_1"])
        #expect(ReconcileChecks.disagreements(snapshot).isEmpty)
        var stopped = snapshot
        stopped.cases[0].sagas = [Self.saga("refund-1", GatewaySagas.Name.refund, .compensated)]
        stopped.sagas = stopped.cases[0].sagas
        #expect(Set(ReconcileChecks.disagreements(stopped).map(\.kind)) == ["order_refunded_mismatch", "refund_succeeded_case_not_refunded"])
    }
    @Test("a captured payment its order does not name: reported for a cancelled order at once, for a CREATED one after the grace")
    func captureWithoutPaidOrder() {
        let payment = Aftercare_Payments_V1_Payment.with {
            $0.paymentID = "pay_2"; $0.orderID = "ord_1"; $0.status = .paymentCaptured; $0.amount = Aftercare_Common_V1_Money(9_000, "CNY")
            $0.updatedAtUnixMicros = 1_000_000_000
        }
        func found(_ status: Aftercare_Orders_V1_OrderStatus, paymentID: String, now: Int64) -> [Aftercare_Gateway_V1_Disagreement] {
            var facts = Self.order(refunds: [], refunded: 0)
            facts.order.status = status
            facts.order.paymentID = paymentID
            facts.payments = [payment, .with { $0.paymentID = "pay_1"; $0.status = .paymentFailed }]
            return ReconcileChecks.disagreements(ReconcileSnapshot(cases: [], orders: [facts], sagas: [], caseOfSaga: [:], checkedAtMicros: now))
        }
        let justNow = payment.updatedAtUnixMicros + 1_000_000
        let later = payment.updatedAtUnixMicros + ReconcileChecks.captureGraceMicros
        #expect(found(.paid, paymentID: "pay_2", now: later).isEmpty)
        #expect(found(.created, paymentID: "", now: justNow).isEmpty)
        #expect(found(.created, paymentID: "", now: later).map(\.kind) == ["capture_without_paid_order"])
        #expect(found(.cancelled, paymentID: "", now: justNow).first?.records.map(\.id) == ["pay_2", "ord_1"])
        #expect(found(.paid, paymentID: "pay_1", now: justNow).first?.description_p.contains("paid by payment pay_1") == true)
    }
    @Test("a cancelling order with no Order cancellation saga at work; quiet while one runs or waits for an operator")
    func cancellingWithoutSaga() {
        var facts = Self.order(refunds: [], refunded: 0)
        facts.order.status = .cancelling
        func found(_ sagas: [SagaRecord]) -> [String] {
            ReconcileChecks.disagreements(ReconcileSnapshot(cases: [], orders: [facts], sagas: sagas, caseOfSaga: [:])).map(\.kind)
        }
        func cancellation(_ state: SagaState, order: String = "ord_1") -> SagaRecord {
            var saga = Self.saga("order-cancellation-1", GatewaySagas.Name.orderCancellation, state)
            saga.values["order_id"] = order
            return saga
        }
        #expect(found([]) == ["cancellation_without_saga"])
        #expect(found([cancellation(.completed)]) == ["cancellation_without_saga"])
        #expect(found([cancellation(.running, order: "ord_2")]) == ["cancellation_without_saga"])
        #expect(found([cancellation(.running)]).isEmpty)
        #expect(found([cancellation(.stuck)]) == ["saga_stuck"])
    }
}
