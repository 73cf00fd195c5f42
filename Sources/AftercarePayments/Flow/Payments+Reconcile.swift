package import AftercarePaymentsAPI
import AftercareRPC
import AftercareServiceKit
import Logging

extension Payments {
    /// One reconciliation pass: every pending refund intent and pending charge (up to the batch
    /// size each, oldest first) is settled by asking its provider by key. Records another call of
    /// this process is working on are left to it.
    package func reconcile() async throws -> Aftercare_Payments_V1_ReconcileRefundsResponse {
        var response = Aftercare_Payments_V1_ReconcileRefundsResponse()
        let intents = try await self.database.read { db in try PaymentsStore.pendingRefunds(limit: self.reconcileBatch, in: db) }
        for intent in intents {
            response.refundsExamined += 1
            let outcome = try await self.inFlight.with(Self.inFlightKey(refund: intent.intentKey)) { () async throws -> RefundStatus in
                guard let current = try await self.database.read({ db in try PaymentsStore.refund(id: intent.refundID, in: db) }) else {
                    return .pending
                }
                guard current.status == .pending else { return current.status }
                return try await self.settleRefund(current, askFirst: true, context: nil).status
            }
            switch outcome ?? .pending {
            case .succeeded: response.refundsSucceeded += 1
            case .failed: response.refundsFailed += 1
            case .pending: response.refundsPending += 1
            }
        }
        let payments = try await self.database.read { db in try PaymentsStore.pendingPayments(limit: self.reconcileBatch, in: db) }
        for payment in payments {
            response.paymentsExamined += 1
            let status = try await self.inFlight.with(payment.providerKey) { () async throws -> PaymentStatus in
                guard let current = try await self.database.read({ db in try PaymentsStore.payment(id: payment.paymentID, in: db) }) else {
                    return .pending
                }
                guard current.status == .pending else { return current.status }
                return try await self.settleCharge(current, askFirst: true, context: nil).status
            }
            if let status, status != .pending { response.paymentsSettled += 1 }
        }
        if response.refundsExamined + response.paymentsExamined > 0 {
            self.logger.info(
                "reconciliation pass",
                metadata: [
                    "reconcile.refunds": "\(response.refundsExamined)", "reconcile.refunds_pending": "\(response.refundsPending)",
                    "reconcile.payments": "\(response.paymentsExamined)", "reconcile.payments_settled": "\(response.paymentsSettled)",
                ])
        }
        return response
    }
}
