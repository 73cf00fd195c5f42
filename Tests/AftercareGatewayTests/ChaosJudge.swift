import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Foundation
import SwiftProtobuf
import Testing

/// What the chaos run is judged by, read from every side: the cases through the public API, the
/// saga log through the operator API, and the books behind the services' backs — the provider
/// simulators' own ledger, payments' refunds, orders' totals and reservations, every inbox —
/// then reconciliation, which must find nothing. The same on SQLite and on PostgreSQL (the
/// providers' books are a SQLite file on both).
enum ChaosJudge {
    /// The counts the run prints.
    struct Verdict {
        var summary: String
    }

    /// Where each journey's case is once eight days have passed.
    static func finalState(_ journey: Journey) -> String {
        switch journey {
        case .returnNeverShipped: "CLOSED_EXPIRED"
        case .exchangeOutOfStock: "CLOSED_WITHDRAWN"
        default: journey.finalState
        }
    }

    static func judge(_ cases: [(Journey, String)], _ world: GatewayWorld) async throws -> Verdict {
        // Every case where its journey leads, none of its sagas running; stuck ones are listed.
        var states: [String: Int] = [:]
        for (journey, caseID) in cases {
            let expected = Self.finalState(journey)
            if journey == .orderCancelled {
                // The id is the order's: cancelled, what was paid refunded (the money checks below count it once).
                let view = try await world.steadyOrder(caseID) { $0.status == .cancelled }
                #expect(view.order.status == .cancelled && view.order.refunded == view.order.paid, "\(journey) \(caseID)")
                states["order CANCELLED", default: 0] += 1
                continue
            }
            do {
                let view = try await world.steadyCase(caseID) { view in
                    view.record.state == expected && !view.sagas.contains { $0.state == "running" || $0.state == "compensating" }
                }
                states[view.record.state, default: 0] += 1
                for saga in view.sagas {
                    #expect(saga.state == "completed" || saga.state == "compensated", "\(journey) \(caseID): \(saga.sagaID) \(saga.state) \(saga.reason)")
                }
            } catch {
                Issue.record("\(journey) \(caseID) should be \(expected): \(error)")
            }
        }
        let sagas = try await Self.sagas(world)
        let unfinished = sagas.filter { !["completed", "compensated"].contains($0.state) }
        #expect(unfinished.isEmpty, "\(unfinished.map { "\($0.sagaID): \($0.state) \($0.reason)" })")

        // No refund paid twice: the providers' own books against payments' and orders'.
        let paidBack = try world.providerRows(
            "SELECT charge_reference, COUNT(*) AS refunds, SUM(amount_minor) AS minor FROM provider_operations WHERE kind = 'refund' AND outcome = 'succeeded' GROUP BY charge_reference")
        let twice = try paidBack.filter { try $0["refunds"] as Int64 > 1 }
        #expect(twice.isEmpty, "charges refunded more than once: \(twice)")
        let retried = try world.providerRows("SELECT COUNT(*) AS n FROM provider_operations WHERE requests > 1")[0]["n"] as Int64
        let succeeded = try await world.rows(
            "payments", "SELECT order_id, charge_reference, amount_minor FROM refunds WHERE status = 'succeeded' ORDER BY order_id")
        let providerByCharge = Dictionary(uniqueKeysWithValues: try paidBack.map { (try $0["charge_reference"] as String, try $0["minor"] as Int64) })
        let paymentsByCharge = Dictionary(
            try succeeded.map { (try $0["charge_reference"] as String, try $0["amount_minor"] as Int64) }, uniquingKeysWith: +)
        #expect(providerByCharge == paymentsByCharge, "the provider paid back otherwise than payments recorded")
        let pending = try await world.rows("payments", "SELECT COUNT(*) AS n FROM refunds WHERE status = 'pending'")[0]["n"] as Int64
        #expect(pending == 0)

        // Every order's refunded amount is its succeeded refunds; no reservation is left open.
        let refundedByOrder = Dictionary(try succeeded.map { (try $0["order_id"] as String, try $0["amount_minor"] as Int64) }, uniquingKeysWith: +)
        let orders = try await world.rows("orders", "SELECT order_id, refunded_minor FROM orders")
        for order in orders {
            let id: String = try order["order_id"]
            #expect(try order["refunded_minor"] as Int64 == refundedByOrder[id, default: 0], "order \(id)")
        }
        let open = try await world.rows("orders", "SELECT case_id FROM reservations WHERE status = 'open'")
        let openCases = try open.map { try $0["case_id"] as String }
        #expect(openCases.isEmpty, "reservations left open: \(openCases)")

        try await GatewayExecutableTests.PublicSurfaceTests.everyEventInItsInboxesOnce(world)
        let inboxItems = try await world.rows("gateway", "SELECT COUNT(*) AS n FROM inbox_items")[0]["n"] as Int64
        let report = try await world.cli.persist(OperationsMethods.reconcile, .init(), key: nil)
        #expect(report.disagreements.isEmpty, "\(report.disagreements.map(\.description_p))")

        let byKind = Dictionary(grouping: cases, by: { $0.0 == .orderCancelled ? "order cancellation" : "\($0.0.kind)" })
            .map { "\($0.key) \($0.value.count)" }.sorted()
        let bySaga = Dictionary(grouping: sagas, by: { "\($0.definition) \($0.state)" }).map { "\($0.key) \($0.value.count)" }.sorted()
        let declined = cases.filter { $0.0 == .declinedRefund }.count
        return Verdict(
            summary: """
                cases: \(byKind.joined(separator: ", ")); ended \(states.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
                sagas: \(sagas.count) (\(bySaga.joined(separator: ", "))); running, compensating or stuck: \(unfinished.count)
                awaiting an operator: \(declined) refunds the provider declined (REFUND_FAILED; no saga stuck)
                money: \(succeeded.count) refunds succeeded, each paid once by the provider (\(twice.count) charges refunded twice; \(retried) provider operations requested more than once); orders' refunded totals agree
                reservations left open: \(openCases.count); inbox items: \(inboxItems), each event in its inboxes once; reconciliation: \(report.disagreements.count) disagreements over \(report.casesChecked) cases, \(report.sagasChecked) sagas, \(report.refundsChecked) refunds
                """)
    }

    /// Every saga in the log, through the operator API, page by page.
    static func sagas(_ world: GatewayWorld) async throws -> [Aftercare_Gateway_V1_SagaSummary] {
        var sagas: [Aftercare_Gateway_V1_SagaSummary] = []
        var token = ""
        repeat {
            let page = try await world.cli.persist(OperationsMethods.listSagas, .with { $0.pageSize = 500; $0.pageToken = token }, key: nil)
            sagas += page.sagas
            token = page.nextPageToken
        } while !token.isEmpty
        return sagas
    }
}
