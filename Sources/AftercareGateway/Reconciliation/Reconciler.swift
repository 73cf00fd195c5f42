package import AftercareGatewayAPI
package import AftercareSagas
package import AftercareServiceKit
package import Logging
import AftercareAftersalesAPI
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC

/// The reconciliation pass (docs/sagas.md, "Reconciliation"): reads what every service believes about
/// each order and case the feeds have named — case states, reservations, refunds, shipments — and
/// the saga log, and reports every disagreement (``ReconcileChecks``) with the records involved.
/// Read-only; run on demand (`Operations/Reconcile`) and on a schedule (``periodic(interval:logger:)``).
package struct Reconciler: Sendable {
    let peers: GatewayPeers
    let engine: SagaEngine
    let subjects: SubjectIndex
    let sagaIndex: CaseSagaIndex
    /// Each read's deadline.
    let callTimeout: Duration

    /// - Parameters:
    ///   - engine: its database is the gateway's, where the indexes live.
    ///   - callTimeout: each read's deadline (default 10 s).
    package init(peers: GatewayPeers, engine: SagaEngine, callTimeout: Duration = .seconds(10)) {
        self.peers = peers
        self.engine = engine
        self.subjects = SubjectIndex(database: engine.database)
        self.sagaIndex = CaseSagaIndex(database: engine.database)
        self.callTimeout = callTimeout
    }

    /// One pass; logs each disagreement as a warning.
    package func run(_ logger: Logger) async throws -> Aftercare_Gateway_V1_ReconcileReport {
        let snapshot = try await self.snapshot()
        var report = Aftercare_Gateway_V1_ReconcileReport()
        report.checkedAtUnixMicros = self.engine.clock.nowMicros
        report.casesChecked = UInt32(clamping: snapshot.cases.count)
        report.sagasChecked = UInt32(clamping: snapshot.sagas.count)
        report.refundsChecked = UInt32(clamping: snapshot.orders.reduce(0) { $0 + $1.refunds.count })
        report.reservationsChecked = UInt32(clamping: snapshot.cases.filter { $0.reservation != nil }.count)
        report.shipmentsChecked = UInt32(clamping: snapshot.cases.filter { $0.returnShipment != nil }.count)
        report.disagreements = ReconcileChecks.disagreements(snapshot)
        for disagreement in report.disagreements {
            logger.warning(
                "reconciliation: \(disagreement.description_p)",
                metadata: ["reconcile.kind": "\(disagreement.kind)", "reconcile.records": "\(disagreement.records.map { "\($0.service)/\($0.kind)/\($0.id)" })"])
        }
        logger.info("reconciliation pass", metadata: ["reconcile.cases": "\(report.casesChecked)", "reconcile.disagreements": "\(report.disagreements.count)"])
        return report
    }

    /// The pass every `interval` (the first one `interval` after start: it reads every record, and
    /// nothing comes due while the gateway is down), as a service of the gateway's group; under
    /// `lease`, only the gateway holding it runs passes.
    package func periodic(interval: Duration, lease: WorkLease? = nil, logger: Logger) -> PeriodicPass {
        PeriodicPass(name: "reconciliation pass", interval: interval, waitsFirst: true, lease: lease, logger: logger) { _ = try await self.run(logger) }
    }

    private var options: CallOptions { CallOptions(timeout: self.callTimeout) }

    func snapshot() async throws -> ReconcileSnapshot {
        let sagas = try await self.engine.list()
        let sagasByID = Dictionary(sagas.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var caseOfSaga: [String: String] = [:]
        var cases: [ReconcileSnapshot.CaseFacts] = []
        var unreadable: [Aftercare_Gateway_V1_Disagreement] = []
        for caseID in try await self.subjects.ids(.case) {
            let ids = try await self.sagaIndex.sagaIDs(caseID: caseID)
            for id in ids { caseOfSaga[id] = caseID }
            do {
                cases.append(try await self.caseFacts(caseID, sagas: ids.compactMap { sagasByID[$0] }))
            } catch let error as UnreadableRecord {
                unreadable.append(error.disagreement(ReconcileChecks.ref("aftersales", "case", caseID)))
            }
        }
        var orders: [ReconcileSnapshot.OrderFacts] = []
        var unreadableOrders: Set<String> = []
        for orderID in try await self.subjects.ids(.order) {
            do {
                orders.append(try await self.orderFacts(orderID))
            } catch let error as UnreadableRecord {
                unreadable.append(error.disagreement(ReconcileChecks.ref("orders", "order", orderID)))
                unreadableOrders.insert(orderID)
            }
        }
        return ReconcileSnapshot(
            cases: cases, orders: orders, sagas: sagas, caseOfSaga: caseOfSaga, checkedAtMicros: self.engine.clock.nowMicros,
            unreadable: unreadable, unreadableOrders: unreadableOrders)
    }

    /// `read` from `service`, whose refusal or silence makes the record being read unreadable.
    private func reading<Result>(_ service: String, _ read: () async throws -> Result) async throws -> Result {
        do {
            return try await read()
        } catch let error as RPCError {
            throw UnreadableRecord(service: service, error: error)
        }
    }

    private func caseFacts(_ caseID: String, sagas: [SagaRecord]) async throws -> ReconcileSnapshot.CaseFacts {
        var get = Aftercare_Aftersales_V1_GetCaseRequest()
        get.caseID = caseID
        let record = try await self.reading("aftersales") {
            try await self.peers.aftersales.unary(AftersalesMethods.getCase, get, options: self.options).record
        }
        var reservation = Aftercare_Orders_V1_GetReservationRequest()
        reservation.caseID = caseID
        let held: Aftercare_Orders_V1_Reservation?
        do {
            held = try await self.peers.orders.unary(OrdersMethods.getReservation, reservation, options: self.options).reservation
        } catch let error as RPCError where error.code == .notFound {
            held = nil
        } catch let error as RPCError {
            throw UnreadableRecord(service: "orders", error: error)
        }
        var shipment: Aftercare_Logistics_V1_Shipment?
        if record.hasReturnShipment, !record.returnShipment.shipmentID.isEmpty {
            var get = Aftercare_Logistics_V1_GetShipmentRequest()
            get.shipmentID = record.returnShipment.shipmentID
            shipment = try await self.reading("logistics") { try await self.peers.logistics.unary(LogisticsMethods.getShipment, get, options: self.options) }
        }
        return ReconcileSnapshot.CaseFacts(record: record, reservation: held, sagas: sagas, returnShipment: shipment)
    }

    private func orderFacts(_ orderID: String) async throws -> ReconcileSnapshot.OrderFacts {
        var get = Aftercare_Orders_V1_GetOrderRequest()
        get.orderID = orderID
        let order = try await self.reading("orders") { try await self.peers.orders.unary(OrdersMethods.getOrder, get, options: self.options).order }
        var payments = Aftercare_Payments_V1_ListPaymentsRequest()
        payments.orderID = orderID
        return try await self.reading("payments") {
            var facts = ReconcileSnapshot.OrderFacts(
                order: order, refunds: [], payments: try await self.peers.payments.unary(PaymentsMethods.listPayments, payments, options: self.options).payments)
            guard !order.paymentID.isEmpty else { return facts }
            var list = Aftercare_Payments_V1_ListRefundsRequest()
            list.paymentID = order.paymentID
            facts.refunds = try await self.peers.payments.unary(PaymentsMethods.listRefunds, list, options: self.options).refunds
            return facts
        }
    }
}
