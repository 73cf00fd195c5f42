import AftercarePaymentsAPI
import AftercareRPC
import AftercareServiceKit

/// A payment's refund figures in its currency: `refunded + pending + refundable = captured`.
struct RefundTotals: Sendable, Hashable {
    var currency: String
    /// The captured amount; 0 unless the payment is captured.
    var captured: Int64
    /// Sum of succeeded refunds.
    var refunded: Int64
    /// Sum of pending refund intents.
    var pending: Int64

    /// What a new refund may still take.
    var refundable: Int64 { self.captured - self.refunded - self.pending }

    /// The totals of `payment` from the sums of its succeeded and pending refunds.
    init(payment: PaymentRecord, succeeded: Int64, pending: Int64) {
        self.currency = payment.amount.currency
        self.captured = payment.status == .captured ? payment.amount.amountMinor : 0
        self.refunded = succeeded
        self.pending = pending
    }

    /// "captured 100.00 CNY − refunded 30.00 CNY − pending 20.00 CNY = refundable 50.00 CNY".
    var explanation: String {
        "captured \(self.money(self.captured).formatted) − refunded \(self.money(self.refunded).formatted)"
            + " − pending \(self.money(self.pending).formatted) = refundable \(self.money(self.refundable).formatted)"
    }

    private func money(_ amount: Int64) -> Aftercare_Common_V1_Money { Aftercare_Common_V1_Money(amount, self.currency) }

    var proto: Aftercare_Payments_V1_RefundTotals {
        var totals = Aftercare_Payments_V1_RefundTotals()
        totals.captured = self.money(self.captured)
        totals.refunded = self.money(self.refunded)
        totals.pending = self.money(self.pending)
        totals.refundable = self.money(self.refundable)
        return totals
    }
}
