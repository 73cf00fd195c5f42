import AftercareCrashPoints
import AftercarePaymentsAPI
import AftercareRPC
import AftercareServiceKit
import Logging

extension Payments {
    /// `Pay`: records the payment `pending` under the call's key, charges the provider with a key
    /// derived from it, and settles it `captured` or `failed`; a lost answer leaves it `pending`
    /// for a retry (which asks the provider first) or the background pass.
    func pay(_ request: Aftercare_Payments_V1_PayRequest, context: ServerContext) async throws -> Aftercare_Payments_V1_Payment {
        let key = try Self.callKey(context)
        try RequestCheck.required(request.orderID, "order_id")
        try RequestCheck.required(request.buyerID, "buyer_id")
        try RequestCheck.required(request.sellerID, "seller_id")
        try RequestCheck.money(request.amount, "amount")
        guard let channel = PaymentChannel(request.channel), channel != .manual else {
            throw RPCError.invalidField("channel", "one of ALIPAY, WECHAT_PAY, CARD; got \(request.channel)")
        }
        let now = self.clock.nowMicros
        let (payment, isNew, lease) = try await self.database.transaction { db -> (PaymentRecord, Bool, String?) in
            try PaymentsStore.lockPay(key: key, orderID: request.orderID, in: db)
            if let existing = try PaymentsStore.payment(idempotencyKey: key, in: db) {
                guard existing.matches(request) else {
                    throw RPCError.invalidField(
                        "idempotency_key", "\(key) was already used with different arguments (payment \(existing.paymentID))")
                }
                guard existing.status == .pending else { return (existing, false, nil) }
                return (existing, false, try self.leases.take(existing, in: db))
            }
            if let live = try PaymentsStore.payments(orderID: request.orderID, in: db).first(where: { $0.status != .failed }) {
                throw RPCError.failedPrecondition(
                    "order_id: order \(request.orderID) already has payment \(live.paymentID) (\(live.status.rawValue)); "
                        + "a new payment is allowed only after it failed")
            }
            let payment = PaymentRecord(
                paymentID: RecordID.make("pay", atMicros: now), idempotencyKey: key, orderID: request.orderID, buyerID: request.buyerID,
                sellerID: request.sellerID, amount: request.amount, channel: channel, status: .pending, providerReference: "",
                failureReason: "", createdAtMicros: now, updatedAtMicros: now)
            try PaymentsStore.insert(payment, in: db)
            try self.feed.append(try PaymentsEvents.payment(payment), context: context, in: db)
            return (payment, true, try self.leases.take(payment, in: db))
        }
        var settled = payment
        if payment.status == .pending {
            guard let lease else { throw Self.inFlight("a Pay call", key: key) }
            settled = try await self.holding(lease, of: payment) {
                try await self.settleCharge(payment, askFirst: !isNew, context: context)
            }
        }
        CrashPoints.reach(.keyedCommitted, "\(context.method)/\(key)")
        return settled.proto
    }

    /// Drives a pending payment to its outcome with its provider (the caller holds its lease): asks
    /// first when `askFirst`, and charges only if the provider has no record of the key. A lost
    /// answer leaves it pending.
    func settleCharge(_ payment: PaymentRecord, askFirst: Bool, context: ServerContext?) async throws -> PaymentRecord {
        let provider = try self.providers.provider(payment.channel)
        let result: ProviderResult
        do {
            if askFirst, let known = try await provider.lookupCharge(key: payment.providerKey) {
                result = known
            } else {
                result = try await provider.charge(ProviderCharge(key: payment.providerKey, amount: payment.amount))
            }
        } catch {
            (context?.logger ?? self.logger).warning(
                "charge outcome unknown; the payment stays pending",
                metadata: ["payment.id": "\(payment.paymentID)", "provider.key": "\(payment.providerKey)", "error": "\(error)"])
            return payment
        }
        let now = self.clock.nowMicros
        do {
            let settled = try await self.record(result, of: payment, atMicros: now, context: context)
            if settled.status != payment.status { PaymentsMetrics.chargeSettled(settled) }
            return settled
        } catch let fault as StorageFault {
            throw fault.afterExternalEffect("\(payment.channel.rawValue) answered the charge of payment \(payment.paymentID), which stays pending")
        }
    }

    /// Transaction 2 of `Pay`: the provider's answer on the payment, with its event.
    private func record(_ result: ProviderResult, of payment: PaymentRecord, atMicros now: Int64, context: ServerContext?) async throws
        -> PaymentRecord
    {
        try await self.database.transaction { db in
            let (status, reference, reason): (PaymentStatus, String, String) =
                switch result {
                case .succeeded(let reference): (.captured, reference, "")
                case .declined(let reason): (.failed, "", reason)
                }
            let moved = try PaymentsStore.settle(
                paymentID: payment.paymentID, status: status, providerReference: reference, failureReason: reason, atMicros: now, in: db)
            guard let current = try PaymentsStore.payment(id: payment.paymentID, in: db) else {
                throw RPCError(.dataLoss, "payment \(payment.paymentID) vanished")
            }
            if moved { try self.feed.append(try PaymentsEvents.payment(current), context: context, in: db) }
            return current
        }
    }
}
