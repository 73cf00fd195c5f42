import AftercarePaymentsAPI
import AftercareRPC

/// A refund's life: `pending → succeeded | failed`. A pending refund is an intent: it counts toward
/// the payment's limit until the provider's outcome settles it.
enum RefundStatus: String, Sendable, Hashable {
    case pending
    case succeeded
    case failed

    var proto: Aftercare_Payments_V1_RefundStatus {
        switch self {
        case .pending: .refundPending
        case .succeeded: .refundSucceeded
        case .failed: .refundFailed
        }
    }
}

/// One refund intent and what became of it. Never deleted.
struct RefundRecord: Sendable, Hashable {
    var refundID: String
    /// The caller's key (its saga step key, or its idempotency key); the provider is called with it.
    var intentKey: String
    var paymentID: String
    var orderID: String
    var buyerID: String
    var sellerID: String
    var amount: Aftercare_Common_V1_Money
    var channel: PaymentChannel
    var reason: String
    /// The provider's reference of the charge refunded.
    var chargeReference: String
    /// For a manual payout: its reference outside the system.
    var manualReference: String
    var status: RefundStatus
    var failureReason: String
    var providerReference: String
    /// The saga step that asked for it, whose ledger entry settles with it; empty outside sagas.
    var sagaID: String
    var sagaStep: String
    /// The trace of the call that made the intent, carried into the events that settle it.
    var traceID: String
    var createdAtMicros: Int64
    var updatedAtMicros: Int64
    var settledAtMicros: Int64

    /// The request the provider receives for this intent.
    var providerRequest: ProviderRefund {
        ProviderRefund(
            key: self.intentKey, chargeReference: self.chargeReference, amount: self.amount, reason: self.reason,
            manualReference: self.manualReference)
    }

    var proto: Aftercare_Payments_V1_Refund {
        var refund = Aftercare_Payments_V1_Refund()
        refund.refundID = self.refundID
        refund.paymentID = self.paymentID
        refund.orderID = self.orderID
        refund.buyerID = self.buyerID
        refund.sellerID = self.sellerID
        refund.amount = self.amount
        refund.channel = self.channel.proto
        refund.reason = self.reason
        refund.status = self.status.proto
        refund.failureReason = self.failureReason
        refund.providerReference = self.providerReference
        refund.intentKey = self.intentKey
        refund.sagaID = self.sagaID
        refund.sagaStep = self.sagaStep
        refund.createdAtUnixMicros = self.createdAtMicros
        refund.updatedAtUnixMicros = self.updatedAtMicros
        refund.settledAtUnixMicros = self.settledAtMicros
        return refund
    }
}
