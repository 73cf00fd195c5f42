import AftercarePaymentsAPI
import AftercareRPC
import AftercareServiceKit

/// The events payments writes to its feed, one per state change, with the record as payload.
enum PaymentsEvents {
    /// The event for `payment` entering its current status.
    static func payment(_ payment: PaymentRecord) throws -> Aftercare_Common_V1_Event {
        var subjects = Aftercare_Common_V1_EventSubjects()
        subjects.orderID = payment.orderID
        subjects.paymentID = payment.paymentID
        let type = switch payment.status {
        case .pending: PaymentsEventTypes.paymentPending
        case .captured: PaymentsEventTypes.paymentCaptured
        case .failed: PaymentsEventTypes.paymentFailed
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
        case .pending: PaymentsEventTypes.refundPending
        case .succeeded: PaymentsEventTypes.refundSucceeded
        case .failed: PaymentsEventTypes.refundFailed
        }
        var event = try Aftercare_Common_V1_Event(
            type: type, payload: refund.proto, subjects: subjects, buyerID: refund.buyerID, sellerID: refund.sellerID)
        event.traceID = refund.traceID
        event.sagaID = refund.sagaID
        return event
    }
}
