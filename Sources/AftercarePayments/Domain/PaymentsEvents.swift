import AftercarePaymentsAPI
import AftercareRPC
import AftercareServiceKit

/// The events payments writes to its feed, one per state change, with the record as payload.
enum PaymentsEvents {
    static let paymentPending = "payments.payment.pending"
    static let paymentCaptured = "payments.payment.captured"
    static let paymentFailed = "payments.payment.failed"
    static let refundPending = "payments.refund.pending"
    static let refundSucceeded = "payments.refund.succeeded"
    static let refundFailed = "payments.refund.failed"

    /// The event for `payment` entering its current status.
    static func payment(_ payment: PaymentRecord) throws -> Aftercare_Common_V1_Event {
        var subjects = Aftercare_Common_V1_EventSubjects()
        subjects.orderID = payment.orderID
        subjects.paymentID = payment.paymentID
        let type = switch payment.status {
        case .pending: Self.paymentPending
        case .captured: Self.paymentCaptured
        case .failed: Self.paymentFailed
        }
        return try Aftercare_Common_V1_Event(
            type: type, payload: payment.proto, subjects: subjects, buyerID: payment.buyerID, sellerID: payment.sellerID)
    }

    /// The event for `refund` entering its current status, in the trace and saga that asked for it.
    static func refund(_ refund: RefundRecord) throws -> Aftercare_Common_V1_Event {
        var subjects = Aftercare_Common_V1_EventSubjects()
        subjects.orderID = refund.orderID
        subjects.paymentID = refund.paymentID
        subjects.refundID = refund.refundID
        let type = switch refund.status {
        case .pending: Self.refundPending
        case .succeeded: Self.refundSucceeded
        case .failed: Self.refundFailed
        }
        var event = try Aftercare_Common_V1_Event(
            type: type, payload: refund.proto, subjects: subjects, buyerID: refund.buyerID, sellerID: refund.sellerID)
        event.traceID = refund.traceID
        event.sagaID = refund.sagaID
        return event
    }
}
