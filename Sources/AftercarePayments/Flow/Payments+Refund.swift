import AftercareCrashPoints
import AftercarePaymentsAPI
import AftercareRPC
import AftercareServiceKit
import AftercareWire
import Logging

extension Payments {
    /// `Refund`: a refund intent of a captured payment, through the payment's channel.
    func refund(_ request: Aftercare_Payments_V1_RefundRequest, context: ServerContext) async throws -> Aftercare_Payments_V1_Refund {
        let key = try Self.callKey(context)
        try RequestCheck.required(request.paymentID, "payment_id")
        try RequestCheck.money(request.amount, "amount")
        try RequestCheck.required(request.reason, "reason")
        let ask = RefundAsk(
            paymentID: request.paymentID, orderID: "", amount: request.amount, reason: request.reason, isManual: false,
            manualReference: "", method: PaymentsMethods.refund.fullName)
        return try await self.runIntent(ask, key: key, context: context)
    }

    /// `RecordManualPayout`: a payout made outside the system, as a refund through the manual channel.
    func recordManualPayout(
        _ request: Aftercare_Payments_V1_RecordManualPayoutRequest, context: ServerContext
    ) async throws -> Aftercare_Payments_V1_Refund {
        let key = try Self.callKey(context)
        switch (request.paymentID.isEmpty, request.orderID.isEmpty) {
        case (true, true): throw RPCError.invalidField("payment_id", "give payment_id or order_id")
        case (false, false): throw RPCError.invalidField("order_id", "give payment_id or order_id, not both")
        case (false, true): try RequestCheck.required(request.paymentID, "payment_id")
        case (true, false): try RequestCheck.required(request.orderID, "order_id")
        }
        try RequestCheck.money(request.amount, "amount")
        try RequestCheck.required(request.reference, "reference")
        try RequestCheck.required(request.reason, "reason")
        let ask = RefundAsk(
            paymentID: request.paymentID, orderID: request.orderID, amount: request.amount, reason: request.reason, isManual: true,
            manualReference: request.reference, method: PaymentsMethods.recordManualPayout.fullName)
        return try await self.runIntent(ask, key: key, context: context)
    }

    /// Opens the intent for `ask` under `key` (or finds it), then settles it with its provider.
    private func runIntent(_ ask: RefundAsk, key: String, context: ServerContext) async throws -> Aftercare_Payments_V1_Refund {
        if let saga = context.saga, saga.direction == .compensate {
            return try await self.refuseCompensation(saga, method: ask.method)
        }
        let (intent, isNew, lease) = try await self.openIntent(ask, key: key, context: context)
        if isNew { CrashPoints.reach(.refundOpened, key) }
        guard intent.status == .pending else { return try Self.answer(intent) }
        guard let lease else { throw Self.inFlight("a call", key: key) }
        let answer = try await self.holding(lease, of: intent) {
            try await self.settleRefund(intent, askFirst: !isNew, context: context)
        }
        return try Self.answer(answer)
    }

    /// What a refund call answers for `intent`: the refund while pending or succeeded; the
    /// provider's decline as a refusal (FAILED_PRECONDITION) once failed.
    static func answer(_ intent: RefundRecord) throws -> Aftercare_Payments_V1_Refund {
        guard intent.status == .failed else { return intent.proto }
        throw Self.declined(intent)
    }

    static func declined(_ intent: RefundRecord) -> RPCError {
        RPCError(
            .failedPrecondition,
            "refund \(intent.refundID) of payment \(intent.paymentID) failed: \(intent.channel.rawValue) declined it: "
                + "\(intent.failureReason); nothing was paid",
            outcome: .executed)
    }

    /// Transaction 1: finds the intent under `key` (same arguments) or checks the payment's limit and
    /// inserts it `pending`, with its event and — in a saga — its step entry `pending`; a pending
    /// intent's lease is taken in the same transaction (`nil` when another call holds it). A
    /// refusal is remembered in the step ledger, so a repeated step gets the same answer.
    private func openIntent(
        _ ask: RefundAsk, key: String, context: ServerContext
    ) async throws -> (RefundRecord, isNew: Bool, lease: String?) {
        do {
            return try await self.database.transaction { db in
                let (intent, isNew) = try self.openIntent(ask, key: key, context: context, in: db)
                guard intent.status == .pending else { return (intent, isNew, nil) }
                return (intent, isNew, try self.leases.take(intent, in: db))
            }
        } catch let error as RPCError where StepLedger.isRefusal(error.code) {
            if let saga = context.saga { try await self.steps.rememberRefusal(error, of: saga, method: ask.method) }
            throw error
        }
    }

    private func openIntent(_ ask: RefundAsk, key: String, context: ServerContext, in db: any SQLConnection) throws -> (RefundRecord, isNew: Bool) {
        // An intent under the key is the answer, whatever else the ledger holds: a compensation that
        // arrived while it was pending was refused (a refund is never undone), so the forward's
        // retry must still learn what the provider did. In a saga, the step's lock first: its
        // compensation, refused or answered "nothing to undo" under that lock, must not pass this
        // call's check of the ledger below.
        if let saga = context.saga { try self.steps.serialize(saga, in: db) }
        try PaymentsStore.lockRefundIntent(key: key, in: db)
        if let existing = try PaymentsStore.refund(intentKey: key, in: db) {
            guard ask.matches(existing) else {
                throw RPCError.invalidField("idempotency_key", "\(key) was already used with different arguments (refund \(existing.refundID))")
            }
            return (existing, false)
        }
        if let saga = context.saga {
            if try self.steps.record(saga.sagaID, saga.step, .compensate, in: db) != nil {
                throw RPCError.failedPrecondition("step \(saga.step) of saga \(saga.sagaID) was already compensated; its forward call is refused")
            }
            if let earlier = try self.steps.record(saga.sagaID, saga.step, saga.direction, in: db), earlier.outcome == .refused {
                throw RPCError(earlier.statusCode, earlier.statusMessage, outcome: .notExecuted)
            }
        }
        let payment = try self.lockPayment(for: ask, in: db)
        guard payment.status == .captured else {
            throw RPCError.failedPrecondition(
                "payment_id: payment \(payment.paymentID) is \(payment.status.rawValue); only a captured payment can be refunded")
        }
        try RequestCheck.sameCurrency(ask.amount.currency, payment.amount.currency, "amount.currency")
        let sums = try PaymentsStore.refundSums(paymentID: payment.paymentID, in: db)
        let totals = RefundTotals(payment: payment, succeeded: sums.succeeded, pending: sums.pending)
        guard ask.amount.amountMinor <= totals.refundable else {
            throw RPCError.failedPrecondition(
                "amount: \(ask.amount.formatted) exceeds what payment \(payment.paymentID) can still refund: \(totals.explanation)")
        }
        let now = self.clock.nowMicros
        let intent = RefundRecord(
            refundID: RecordID.make("rfd", atMicros: now), intentKey: key, paymentID: payment.paymentID, orderID: payment.orderID,
            buyerID: payment.buyerID, sellerID: payment.sellerID, amount: ask.amount, channel: ask.isManual ? .manual : payment.channel,
            reason: ask.reason, chargeReference: payment.providerReference, manualReference: ask.manualReference, status: .pending,
            failureReason: "", providerReference: "", sagaID: context.saga?.sagaID ?? "", sagaStep: context.saga?.step ?? "",
            traceID: "\(context.traceID)", createdAtMicros: now, updatedAtMicros: now, settledAtMicros: 0)
        try PaymentsStore.insert(intent, in: db)
        try self.feed.append(try PaymentsEvents.refund(intent), context: context, in: db)
        if let saga = context.saga {
            try self.steps.store(StepRecord(outcome: .pending, method: ask.method, recordedAtMicros: now), for: saga, in: db)
        }
        return (intent, true)
    }

    /// The payment `ask` refunds, its row locked for the rest of the transaction.
    private func lockPayment(for ask: RefundAsk, in db: any SQLConnection) throws -> PaymentRecord {
        var paymentID = ask.paymentID
        if paymentID.isEmpty {
            guard let captured = try PaymentsStore.payments(orderID: ask.orderID, in: db).first(where: { $0.status == .captured }) else {
                throw RPCError.notFound("order_id", kind: "captured payment of order", id: ask.orderID)
            }
            paymentID = captured.paymentID
        }
        guard try PaymentsStore.lockForRefund(paymentID: paymentID, in: db), let payment = try PaymentsStore.payment(id: paymentID, in: db) else {
            throw RPCError.notFound("payment_id", kind: "payment", id: paymentID)
        }
        return payment
    }

    /// A refund is the Refund saga's pivot: it is never undone. A compensation of a step that
    /// never ran (or was refused) has nothing to undo; any other is refused.
    private func refuseCompensation(_ saga: SagaContext, method: String) async throws -> Aftercare_Payments_V1_Refund {
        try await self.steps.run(saga, method: method) { _ in
            throw RPCError.failedPrecondition(
                "step \(saga.step) of saga \(saga.sagaID) is a refund; a refund is never compensated (record a new payment instead)")
        }
    }
}
