import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import AftercareSagas

/// The disagreements reconciliation looks for (`proto-spec/gateway.proto`, Disagreement), as pure
/// functions of a ``ReconcileSnapshot``. A record whose case has a saga still running is left
/// alone: its services may disagree for a moment, by design, until the saga's next step.
enum ReconcileChecks {
    /// Every disagreement in `snapshot`, in a stable order (by kind, then records).
    static func disagreements(_ snapshot: ReconcileSnapshot) -> [Aftercare_Gateway_V1_Disagreement] {
        var found = snapshot.unreadable
        let casesByID = Dictionary(snapshot.cases.map { ($0.record.caseID, $0) }, uniquingKeysWith: { first, _ in first })
        for facts in snapshot.cases where !facts.sagaActive {
            found += self.reservation(facts)
            found += self.refundRecord(facts, snapshot)
            found += self.sagaOutcome(facts)
            found += self.returnShipment(facts)
            found += self.waitingCase(facts)
        }
        let busyOrders = Set(snapshot.cases.filter(\.sagaActive).map(\.record.orderID))
        for order in snapshot.orders {
            found += self.orderRefunded(order, busy: busyOrders.contains(order.order.orderID))
            found += self.succeededRefunds(order, casesByID: casesByID, snapshot)
            found += self.capturedPayments(order, now: snapshot.checkedAtMicros)
            found += self.cancellingWithoutSaga(order, sagas: snapshot.sagas)
        }
        for saga in snapshot.sagas where saga.state == .stuck {
            found.append(
                self.disagreement(
                    "saga_stuck", "saga \(saga.id) (\(saga.definition)) waits for an operator: \(saga.reason)",
                    [self.ref("gateway", "saga", saga.id)] + (snapshot.caseOfSaga[saga.id].map { [self.ref("aftersales", "case", $0)] } ?? [])))
        }
        return found.sorted { ($0.kind, $0.records.map(\.id).joined(separator: " ")) < ($1.kind, $1.records.map(\.id).joined(separator: " ")) }
    }

    /// States in which a case holds its reservation (the refund amount, or the replacement stock)
    /// while no saga runs: the goods are on their way back, or the money is owed.
    static let holdingStates: Set<String> = [
        "AWAITING_RETURN_SHIPMENT", "RETURN_IN_TRANSIT", "RETURN_DELIVERED", "INSPECTING", "RECEIPT_DISPUTED", "ESCALATED_HELD",
    ]

    static func holdsReservation(_ record: Aftercare_Aftersales_V1_Case) -> Bool {
        if self.holdingStates.contains(record.state) { return true }
        switch record.kind {
        case .returnAndRefund: return record.state == "REFUND_APPROVED" || record.state == "REFUND_FAILED"
        case .exchange: return record.state == "RETURN_ACCEPTED"
        default: return false
        }
    }

    /// States in which a case must hold none: before approval, and once its money or goods are settled.
    static func holdsNone(_ record: Aftercare_Aftersales_V1_Case) -> Bool {
        if record.closed { return true }
        let before = ["REQUESTED", "AWAITING_EVIDENCE", "PENDING_SELLER", "NEGOTIATING", "REJECTED", "ESCALATED"]
        let after = ["REPLACEMENT_SHIPPED", "CONVERSION_OFFERED"]
        return before.contains(record.state) || after.contains(record.state) || (record.kind == .refundOnly && record.state == "REFUND_FAILED")
    }

    private static func reservation(_ facts: ReconcileSnapshot.CaseFacts) -> [Aftercare_Gateway_V1_Disagreement] {
        let record = facts.record
        let open = facts.reservation?.status == .open
        let refs = [self.ref("aftersales", "case", record.caseID), self.ref("orders", "reservation", record.caseID)]
        if open, self.holdsNone(record) {
            return [
                self.disagreement(
                    "reservation_without_saga",
                    "orders hold an open reservation (\(facts.reservation.map(Self.describe) ?? "")) for case \(record.caseID), which is \(record.state) and holds none; no saga of it runs",
                    refs)
            ]
        }
        if !open, self.holdsReservation(record) {
            return [
                self.disagreement(
                    "reservation_missing",
                    "case \(record.caseID) is \(record.state) and should hold its reservation, but orders have \(facts.reservation.map { "it \($0.status)" } ?? "none"); no saga of it runs",
                    refs)
            ]
        }
        return []
    }

    /// A REFUNDED case names a refund payments paid, of the case's amount.
    private static func refundRecord(_ facts: ReconcileSnapshot.CaseFacts, _ snapshot: ReconcileSnapshot) -> [Aftercare_Gateway_V1_Disagreement] {
        let record = facts.record
        guard record.state == "REFUNDED", !record.refundID.isEmpty, !snapshot.unreadableOrders.contains(record.orderID) else { return [] }
        let refund = snapshot.orders.first { $0.order.orderID == record.orderID }?.refunds.first { $0.refundID == record.refundID }
        guard let refund, refund.status == .refundSucceeded, refund.amount == record.amount else {
            let what = refund.map { "\($0.status) of \($0.amount.formatted)" } ?? "no such refund"
            return [
                self.disagreement(
                    "case_refunded_without_refund",
                    "case \(record.caseID) is REFUNDED by refund \(record.refundID) of \(record.amount.formatted); payments have \(what)",
                    [self.ref("aftersales", "case", record.caseID), self.ref("payments", "refund", record.refundID)])
            ]
        }
        return []
    }

    /// The newest Refund saga of the case completed only if the case is REFUNDED.
    private static func sagaOutcome(_ facts: ReconcileSnapshot.CaseFacts) -> [Aftercare_Gateway_V1_Disagreement] {
        guard let refund = facts.sagas.last(where: { $0.definition == GatewaySagas.Name.refund }), refund.state == .completed,
            facts.record.state != "REFUNDED"
        else { return [] }
        return [
            self.disagreement(
                "saga_case_mismatch", "saga \(refund.id) (Refund) completed, but case \(facts.record.caseID) is \(facts.record.state), not REFUNDED",
                [self.ref("gateway", "saga", refund.id), self.ref("aftersales", "case", facts.record.caseID)])
        ]
    }

    /// The saga a case's state starts on entry (CASE-MACHINES.md, "Sagas started on entry"); for
    /// RETURNING_TO_BUYER only until the back-to-buyer shipment is recorded.
    static func sagaStarted(by record: Aftercare_Aftersales_V1_Case) -> String? {
        switch record.state {
        case "APPROVED": record.kind == .refundOnly ? GatewaySagas.Name.refund : GatewaySagas.Name.returnSetup
        case "REFUND_APPROVED": GatewaySagas.Name.refund
        case "RETURN_CANCELLING": GatewaySagas.Name.returnCancellation
        case "RETURN_ACCEPTED": GatewaySagas.Name.exchangeFulfilment
        case "RETURNING_TO_BUYER" where record.backToBuyerShipment.shipmentID.isEmpty: GatewaySagas.Name.returnToBuyer
        default: nil
        }
    }

    /// A case left in the state that starts a saga after that saga compensated: a saga without an
    /// on-compensated step records nothing on the case, so nothing will move it but an operator.
    private static func waitingCase(_ facts: ReconcileSnapshot.CaseFacts) -> [Aftercare_Gateway_V1_Disagreement] {
        guard let definition = self.sagaStarted(by: facts.record), let newest = facts.sagas.last(where: { $0.definition == definition }),
            newest.state == .compensated
        else { return [] }
        return [
            self.disagreement(
                "case_waits_without_saga",
                "case \(facts.record.caseID) is \(facts.record.state), which starts \(definition), but its saga \(newest.id) compensated without moving it (\(newest.reason)); no saga of it runs",
                [self.ref("aftersales", "case", facts.record.caseID), self.ref("gateway", "saga", newest.id)])
        ]
    }

    /// A return shipment cancelled while the case waits for it, or still usable once the case was
    /// closed withdrawn or expired.
    private static func returnShipment(_ facts: ReconcileSnapshot.CaseFacts) -> [Aftercare_Gateway_V1_Disagreement] {
        guard let shipment = facts.returnShipment else { return [] }
        let record = facts.record
        let refs = [self.ref("aftersales", "case", record.caseID), self.ref("logistics", "shipment", shipment.shipmentID)]
        if record.state == "AWAITING_RETURN_SHIPMENT", shipment.state == .cancelled {
            return [
                self.disagreement(
                    "return_shipment_mismatch", "case \(record.caseID) awaits its return, but logistics cancelled shipment \(shipment.shipmentID)", refs)
            ]
        }
        if ["CLOSED_WITHDRAWN", "CLOSED_EXPIRED"].contains(record.state), shipment.state == .labelCreated {
            return [
                self.disagreement(
                    "return_shipment_mismatch",
                    "case \(record.caseID) is \(record.state), but its return shipment \(shipment.shipmentID) is still \(shipment.state)", refs)
            ]
        }
        return []
    }

    /// An order's refunded amount is the sum of its payment's succeeded refunds.
    /// (Not while a saga of a case on the order runs: `busy`.)
    private static func orderRefunded(_ facts: ReconcileSnapshot.OrderFacts, busy: Bool) -> [Aftercare_Gateway_V1_Disagreement] {
        let order = facts.order
        guard !busy else { return [] }
        let succeeded = facts.refunds.filter { $0.status == .refundSucceeded }
        let sum = succeeded.reduce(Int64(0)) { $0 &+ $1.amount.amountMinor }
        guard sum != order.refunded.amountMinor else { return [] }
        return [
            self.disagreement(
                "order_refunded_mismatch",
                "order \(order.orderID) has refunded \(order.refunded.formatted), but its payment's succeeded refunds add up to \(Aftercare_Common_V1_Money(sum, order.total.currency).formatted)",
                [self.ref("orders", "order", order.orderID)] + succeeded.map { self.ref("payments", "refund", $0.refundID) })
        ]
    }

    /// Each succeeded refund a saga asked for: its case is REFUNDED (or moved on by a later saga).
    private static func succeededRefunds(
        _ facts: ReconcileSnapshot.OrderFacts, casesByID: [String: ReconcileSnapshot.CaseFacts], _ snapshot: ReconcileSnapshot
    ) -> [Aftercare_Gateway_V1_Disagreement] {
        facts.refunds.compactMap { refund in
            guard refund.status == .refundSucceeded, !refund.sagaID.isEmpty, let caseID = snapshot.caseOfSaga[refund.sagaID],
                let facts = casesByID[caseID], !facts.sagaActive, facts.record.state != "REFUNDED"
            else { return nil }
            return self.disagreement(
                "refund_succeeded_case_not_refunded",
                "payments paid refund \(refund.refundID) of \(refund.amount.formatted) for case \(caseID), which is \(facts.record.state), not REFUNDED",
                [self.ref("payments", "refund", refund.refundID), self.ref("aftersales", "case", caseID), self.ref("gateway", "saga", refund.sagaID)])
        }
    }

    private static func describe(_ reservation: Aftercare_Orders_V1_Reservation) -> String {
        reservation.hasAmount && reservation.amount.amountMinor > 0
            ? "\(reservation.amount.formatted)" : "\(reservation.quantity) × \(reservation.replacementSku)"
    }

    static func disagreement(_ kind: String, _ description: String, _ records: [Aftercare_Gateway_V1_RecordRef]) -> Aftercare_Gateway_V1_Disagreement {
        var disagreement = Aftercare_Gateway_V1_Disagreement()
        disagreement.kind = kind
        disagreement.description_p = description
        disagreement.records = records
        return disagreement
    }

    static func ref(_ service: String, _ kind: String, _ id: String) -> Aftercare_Gateway_V1_RecordRef {
        var ref = Aftercare_Gateway_V1_RecordRef()
        ref.service = service
        ref.kind = kind
        ref.id = id
        return ref
    }
}
