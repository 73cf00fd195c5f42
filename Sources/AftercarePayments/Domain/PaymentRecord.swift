import AftercarePaymentsAPI
import AftercareRPC

/// A payment's life: `pending → captured | failed`.
enum PaymentStatus: String, Sendable, Hashable {
    case pending
    case captured
    case failed

    var proto: Aftercare_Payments_V1_PaymentStatus {
        switch self {
        case .pending: .paymentPending
        case .captured: .paymentCaptured
        case .failed: .paymentFailed
        }
    }
}

/// One charge of an order, as payments keeps it.
struct PaymentRecord: Sendable, Hashable {
    var paymentID: String
    /// The call's key; the provider is charged with ``providerKey``, derived from it.
    var idempotencyKey: String
    var orderID: String
    var buyerID: String
    var sellerID: String
    var amount: Aftercare_Common_V1_Money
    var channel: PaymentChannel
    var status: PaymentStatus
    var providerReference: String
    var failureReason: String
    var createdAtMicros: Int64
    var updatedAtMicros: Int64

    /// The key the provider's charge carries: derived from the call's key, so no other call of
    /// payments can ever reuse it.
    var providerKey: String { Self.providerKey(for: self.idempotencyKey) }

    static func providerKey(for idempotencyKey: String) -> String { "charge/\(idempotencyKey)" }

    /// Whether `request` asks for exactly this payment.
    func matches(_ request: Aftercare_Payments_V1_PayRequest) -> Bool {
        self.orderID == request.orderID && self.buyerID == request.buyerID && self.sellerID == request.sellerID
            && self.amount == request.amount && self.channel.proto == request.channel
    }

    var proto: Aftercare_Payments_V1_Payment {
        var payment = Aftercare_Payments_V1_Payment()
        payment.paymentID = self.paymentID
        payment.orderID = self.orderID
        payment.buyerID = self.buyerID
        payment.sellerID = self.sellerID
        payment.amount = self.amount
        payment.channel = self.channel.proto
        payment.status = self.status.proto
        payment.failureReason = self.failureReason
        payment.providerReference = self.providerReference
        payment.idempotencyKey = self.idempotencyKey
        payment.createdAtUnixMicros = self.createdAtMicros
        payment.updatedAtUnixMicros = self.updatedAtMicros
        return payment
    }
}
