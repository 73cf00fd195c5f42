package import AftercarePaymentsAPI
import AftercareRPC
import AftercareServiceKit
import Logging

extension Payments {
    /// One reconciliation pass: every pending refund intent and pending charge (up to the batch
    /// size each, oldest first) is settled by asking its provider by key, holding its lease. Records
    /// whose lease another call (of this or another instance) holds are left to it.
    package func reconcile() async throws -> Aftercare_Payments_V1_ReconcileRefundsResponse {
        var response = Aftercare_Payments_V1_ReconcileRefundsResponse()
        let intents = try await self.database.read { db in try PaymentsStore.pendingRefunds(limit: self.reconcileBatch, in: db) }
        for intent in intents {
            response.refundsExamined += 1
            let (current, lease) = try await self.database.write { db -> (RefundRecord?, String?) in
                let current = try PaymentsStore.refund(id: intent.refundID, in: db)
                guard let current, current.status == .pending else { return (current, nil) }
                return (current, try self.leases.take(.refund, id: current.refundID, in: db))
            }
            var outcome = current?.status ?? .pending
            if let current, let lease {
                outcome = try await self.holding(lease, of: .refund, id: current.refundID) {
                    try await self.settleRefund(current, askFirst: true, context: nil)
                }.status
            }
            switch outcome {
            case .succeeded: response.refundsSucceeded += 1
            case .failed: response.refundsFailed += 1
            case .pending: response.refundsPending += 1
            }
        }
        let payments = try await self.database.read { db in try PaymentsStore.pendingPayments(limit: self.reconcileBatch, in: db) }
        for payment in payments {
            response.paymentsExamined += 1
            let (current, lease) = try await self.database.write { db -> (PaymentRecord?, String?) in
                let current = try PaymentsStore.payment(id: payment.paymentID, in: db)
                guard let current, current.status == .pending else { return (current, nil) }
                return (current, try self.leases.take(.payment, id: current.paymentID, in: db))
            }
            var status = current?.status ?? .pending
            if let current, let lease {
                status = try await self.holding(lease, of: .payment, id: current.paymentID) {
                    try await self.settleCharge(current, askFirst: true, context: nil)
                }.status
            }
            if status != .pending { response.paymentsSettled += 1 }
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
