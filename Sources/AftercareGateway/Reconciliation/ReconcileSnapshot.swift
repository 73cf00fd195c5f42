import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareSagas

/// What each service believes, read by ``Reconciler`` for the checks of ``ReconcileChecks``.
struct ReconcileSnapshot: Sendable {
    /// One case, with what the other services and the saga log hold about it.
    struct CaseFacts: Sendable {
        var record: Aftercare_Aftersales_V1_Case
        /// The case's reservation in orders, if it ever had one.
        var reservation: Aftercare_Orders_V1_Reservation?
        /// The case's sagas, oldest first.
        var sagas: [SagaRecord]
        /// The case's return shipment in logistics, if it has one.
        var returnShipment: Aftercare_Logistics_V1_Shipment?

        /// Whether a saga of the case still has work to do (its effects may be half done).
        var sagaActive: Bool { self.sagas.contains { $0.state.isActive } }
    }

    /// One order, with the refunds of its payment and every payment of it.
    struct OrderFacts: Sendable {
        var order: Aftercare_Orders_V1_Order
        var refunds: [Aftercare_Payments_V1_Refund]
        var payments: [Aftercare_Payments_V1_Payment] = []
    }

    var cases: [CaseFacts]
    var orders: [OrderFacts]
    /// Every saga of the log, for stuck ones and a refund's saga.
    var sagas: [SagaRecord]
    /// Saga id → case id (``CaseSagaIndex``).
    var caseOfSaga: [String: String]
    /// When the snapshot was read (the gateway's clock).
    var checkedAtMicros: Int64 = 0
    /// The cases and orders a service could not tell about (down, or past the deadline), each as an
    /// `unreadable` disagreement; they are in neither `cases` nor `orders`.
    var unreadable: [Aftercare_Gateway_V1_Disagreement] = []
    /// The ids of the orders among them, whose cases' refunds cannot be compared.
    var unreadableOrders: Set<String> = []
}
