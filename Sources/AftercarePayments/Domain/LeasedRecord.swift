/// A record whose provider call is guarded by a lease on its row (``ProviderLeases``): a charge or
/// a refund intent.
protocol LeasedRecord: Sendable {
    /// The kind of row it is kept in.
    static var row: LeasedRow { get }
    /// Its id, the key of its row.
    var leaseID: String { get }
    /// Whether its provider call may still be made (its lease is ended by settling it).
    var isPending: Bool { get }
}

extension PaymentRecord: LeasedRecord {
    static var row: LeasedRow { .payment }
    var leaseID: String { self.paymentID }
    var isPending: Bool { self.status == .pending }
}

extension RefundRecord: LeasedRecord {
    static var row: LeasedRow { .refund }
    var leaseID: String { self.refundID }
    var isPending: Bool { self.status == .pending }
}
