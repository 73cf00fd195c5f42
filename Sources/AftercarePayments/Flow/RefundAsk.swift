import AftercareRPC

/// What a Refund or RecordManualPayout call asks for, checked, before it becomes an intent.
struct RefundAsk: Sendable, Hashable {
    /// The payment refunded; empty when `orderID` names it (manual payouts).
    var paymentID: String
    /// The order whose captured payment is refunded, when `paymentID` is empty.
    var orderID: String
    var amount: Aftercare_Common_V1_Money
    var reason: String
    /// A manual payout (through the `manual` channel), with its reference.
    var isManual: Bool
    var manualReference: String
    /// The method asking, for the step ledger.
    var method: String

    /// Whether the existing intent `intent` was made by exactly this ask.
    func matches(_ intent: RefundRecord) -> Bool {
        let samePayment = self.paymentID.isEmpty ? intent.orderID == self.orderID : intent.paymentID == self.paymentID
        return samePayment && intent.amount == self.amount && intent.reason == self.reason
            && (intent.channel == .manual) == self.isManual && intent.manualReference == self.manualReference
    }
}
