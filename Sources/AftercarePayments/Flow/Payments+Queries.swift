import AftercarePaymentsAPI
import AftercareRPC
import AftercareServiceKit

extension Payments {
    func getPayment(_ request: Aftercare_Payments_V1_GetPaymentRequest) async throws -> Aftercare_Payments_V1_Payment {
        try RequestCheck.required(request.paymentID, "payment_id")
        guard let payment = try await self.database.snapshot({ db in try PaymentsStore.payment(id: request.paymentID, in: db) }) else {
            throw RPCError.notFound("payment_id", kind: "payment", id: request.paymentID)
        }
        return payment.proto
    }

    func listPayments(_ request: Aftercare_Payments_V1_ListPaymentsRequest) async throws -> Aftercare_Payments_V1_ListPaymentsResponse {
        try RequestCheck.required(request.orderID, "order_id")
        var response = Aftercare_Payments_V1_ListPaymentsResponse()
        response.payments = try await self.database.snapshot { db in try PaymentsStore.payments(orderID: request.orderID, in: db) }.map(\.proto)
        return response
    }

    func getRefund(_ request: Aftercare_Payments_V1_GetRefundRequest) async throws -> Aftercare_Payments_V1_Refund {
        try RequestCheck.required(request.refundID, "refund_id")
        guard let refund = try await self.database.snapshot({ db in try PaymentsStore.refund(id: request.refundID, in: db) }) else {
            throw RPCError.notFound("refund_id", kind: "refund", id: request.refundID)
        }
        return refund.proto
    }

    func listRefunds(_ request: Aftercare_Payments_V1_ListRefundsRequest) async throws -> Aftercare_Payments_V1_ListRefundsResponse {
        try RequestCheck.required(request.paymentID, "payment_id")
        return try await self.database.snapshot { db in
            guard let payment = try PaymentsStore.payment(id: request.paymentID, in: db) else {
                throw RPCError.notFound("payment_id", kind: "payment", id: request.paymentID)
            }
            let refunds = try PaymentsStore.refunds(paymentID: payment.paymentID, in: db)
            var response = Aftercare_Payments_V1_ListRefundsResponse()
            response.refunds = refunds.map(\.proto)
            let sums = try PaymentsStore.refundSums(paymentID: payment.paymentID, in: db)
            response.totals = RefundTotals(payment: payment, succeeded: sums.succeeded, pending: sums.pending).proto
            return response
        }
    }
}
