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
        let intents = try await self.database.snapshot { db in try PaymentsStore.pendingRefunds(limit: self.reconcileBatch, in: db) }
        for intent in intents {
            response.refundsExamined += 1
            let id = intent.refundID
            let ended = try await self.settleLeased({ db in try PaymentsStore.refund(id: id, in: db) }) { current in
                try await self.settleRefund(current, askFirst: true, context: nil)
            }
            switch ended?.status ?? .pending {
            case .succeeded: response.refundsSucceeded += 1
            case .failed: response.refundsFailed += 1
            case .pending: response.refundsPending += 1
            }
        }
        let payments = try await self.database.snapshot { db in try PaymentsStore.pendingPayments(limit: self.reconcileBatch, in: db) }
        for payment in payments {
            response.paymentsExamined += 1
            let id = payment.paymentID
            let ended = try await self.settleLeased({ db in try PaymentsStore.payment(id: id, in: db) }) { current in
                try await self.settleCharge(current, askFirst: true, context: nil)
            }
            if ended?.isPending == false { response.paymentsSettled += 1 }
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
