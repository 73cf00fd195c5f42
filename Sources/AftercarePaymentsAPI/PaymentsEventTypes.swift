/// The types of the events on payments' feed: the payment ones carry an
/// `Aftercare_Payments_V1_Payment` payload, the refund ones an `Aftercare_Payments_V1_Refund`.
public enum PaymentsEventTypes {
    public static let paymentPending = "payments.payment.pending"
    public static let paymentCaptured = "payments.payment.captured"
    public static let paymentFailed = "payments.payment.failed"
    public static let refundPending = "payments.refund.pending"
    public static let refundSucceeded = "payments.refund.succeeded"
    public static let refundFailed = "payments.refund.failed"
}
