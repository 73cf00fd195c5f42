import AftercareCrashPoints
import AftercarePaymentsAPI
import AftercareRPC
import AftercareServiceKit
import AftercareWire
import Logging
import SwiftProtobuf

extension Payments {
    /// Drives a pending refund intent to its outcome with its provider, always by the intent's key
    /// (the caller holds its lease, ``ProviderLeases``). With `askFirst` (every retry, every pass) it asks
    /// the provider what became of the key, and sends the refund again only if the provider has no
    /// record of it. A lost answer leaves the intent pending.
    func settleRefund(_ intent: RefundRecord, askFirst: Bool, context: ServerContext?) async throws -> RefundRecord {
        let logger = context?.logger ?? self.logger
        let provider = try self.providers.provider(intent.channel)
        let result: ProviderResult
        do {
            if askFirst, let known = try await provider.lookupRefund(key: intent.intentKey) {
                result = known
            } else {
                result = try await provider.refund(intent.providerRequest)
            }
        } catch {
            logger.warning(
                "refund outcome unknown; the intent stays pending",
                metadata: ["refund.id": "\(intent.refundID)", "refund.intent_key": "\(intent.intentKey)", "error": "\(error)"])
            return intent
        }
        CrashPoints.reach(.providerAnswered, intent.intentKey)
        let now = self.clock.nowMicros
        let settled: RefundRecord
        do {
            settled = try await self.database.transaction { db in try self.settle(intent, with: result, atMicros: now, in: db) }
        } catch let fault as StorageFault {
            throw fault.afterExternalEffect("\(intent.channel.rawValue) answered refund \(intent.refundID), which stays pending")
        }
        if settled.status != intent.status { PaymentsMetrics.refundSettled(settled) }
        if !settled.sagaID.isEmpty {
            CrashPoints.reach(.stepCommitted, StepLedger.context(SagaContext(sagaID: settled.sagaID, step: settled.sagaStep, direction: .forward)))
        }
        logger.info(
            "refund settled",
            metadata: ["refund.id": "\(settled.refundID)", "refund.status": "\(settled.status.rawValue)", "refund.intent_key": "\(intent.intentKey)"])
        return settled
    }

    /// Transaction 2: the intent's outcome, its event and — in a saga — its step entry: `done` with
    /// the refund when it succeeded, `refused` with the decline when it failed.
    private func settle(_ intent: RefundRecord, with result: ProviderResult, atMicros now: Int64, in db: any SQLConnection) throws -> RefundRecord {
        let (status, reference, reason): (RefundStatus, String, String) =
            switch result {
            case .succeeded(let reference): (.succeeded, reference, "")
            case .declined(let reason): (.failed, "", reason)
            }
        let moved = try PaymentsStore.settle(
            refundID: intent.refundID, status: status, providerReference: reference, failureReason: reason, atMicros: now, in: db)
        guard let current = try PaymentsStore.refund(id: intent.refundID, in: db) else {
            throw RPCError(.dataLoss, "refund \(intent.refundID) vanished")
        }
        guard moved else { return current }
        try self.feed.append(try PaymentsEvents.refund(current), context: nil, in: db)
        if !current.sagaID.isEmpty {
            let method = current.channel == .manual ? PaymentsMethods.recordManualPayout.fullName : PaymentsMethods.refund.fullName
            let record: StepRecord =
                switch current.status {
                case .failed:
                    StepRecord(
                        outcome: .refused, method: method, statusCode: .failedPrecondition, statusMessage: Self.declined(current).message,
                        recordedAtMicros: now)
                case .succeeded, .pending:
                    StepRecord(outcome: .done, method: method, response: try current.proto.serializedBytes(), recordedAtMicros: now)
                }
            let saga = SagaContext(sagaID: current.sagaID, step: current.sagaStep, direction: .forward)
            try self.steps.store(record, for: saga, in: db)
            CrashPoints.reach(.stepUncommitted, StepLedger.context(saga))
        }
        return current
    }
}
