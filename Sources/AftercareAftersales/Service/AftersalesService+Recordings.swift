import AftercareAftersalesAPI
import AftercareRPC
import AftercareServiceKit
import AftercareWire
import SwiftProtobuf

/// The recording calls of the gateway's sagas (docs/machines.md, `saga …` transitions).
extension AftersalesService {
    func registerRecordings(in router: inout RPCRouter) {
        self.outcome(AftersalesMethods.recordRefunding, .refundRefunding, in: &router)
        self.outcome(AftersalesMethods.recordRefundFailed, .refundFailed, in: &router)
        self.outcome(AftersalesMethods.recordNothingRefundable, .returnSetupNothingRefundable, in: &router)
        self.outcome(AftersalesMethods.recordReplacementOutOfStock, .returnSetupOutOfStock, in: &router)
        self.outcome(AftersalesMethods.recordReturnCancelled, .returnCancellationClosed, in: &router)
        self.outcome(AftersalesMethods.recordAlreadyPickedUp, .returnCancellationAlreadyPickedUp, in: &router)
        self.outcome(AftersalesMethods.recordExchangeOutOfStock, .exchangeOutOfStock, in: &router)
        self.shipment(AftersalesMethods.recordAwaitingReturn, .returnSetupAwaitingReturn, in: &router)
        self.shipment(AftersalesMethods.recordReturnToBuyerShipment, .returnToBuyerShipmentCreated, in: &router)
        self.shipment(AftersalesMethods.recordReplacementShipped, .exchangeReplacementShipped, in: &router)
        router.unary(AftersalesMethods.recordRefunded) { request, context in
            try RequestCheck.required(request.caseID, "case_id")
            try RequestCheck.money(request.amount, "amount", allowZero: true)
            if request.amount.amountMinor > 0 { try RequestCheck.required(request.refundID, "refund_id") }
            return try await self.record(request, caseID: request.caseID, context: context) { record in
                guard Amount(request.amount) == record.amount else {
                    throw RPCError.invalidField("amount", "case \(record.caseID) refunds \(record.amount), not \(Amount(request.amount))")
                }
                var action = Self.sagaAction(.refundRefunded, context)
                action.refundID = request.refundID
                return action
            }
        }
        router.unary(AftersalesMethods.recordCarrierEvent) { request, context in
            let (carrier, caseEvent) = try AftersalesRequestCheck.carrierEvent(request)
            return try await self.record(request, caseID: request.caseID, withoutKey: .naturalKey, context: context) { record in
                let shipment: CaseShipment? =
                    switch carrier.shipment {
                    case .return: record.returnShipment
                    case .replacement: record.replacementShipment
                    case .backToBuyer: record.backToBuyerShipment
                    }
                var event = caseEvent
                var note = carrier.description.isEmpty ? "\(carrier.shipment.rawValue) \(carrier.shipmentID): \(carrier.name)" : carrier.description
                if let shipment, shipment.shipmentID != carrier.shipmentID {
                    // A shipment the case heard of before and has since replaced (a lost replacement
                    // still scanned): its news is kept and moves nothing, like any older event.
                    guard record.carrierProgress[carrier.shipmentID] != nil else {
                        throw RPCError.invalidField(
                            "shipment_id",
                            "case \(record.caseID)'s \(carrier.shipment.rawValue) shipment is \(shipment.shipmentID), not \(carrier.shipmentID)")
                    }
                    event = .carrierOther
                    note += " (not the case's \(carrier.shipment.rawValue) shipment \(shipment.shipmentID))"
                }
                var action = Self.sagaAction(event, context)
                action.carrier = carrier
                action.note = note
                return action
            } unlessAlreadyDone: { record, db in
                guard let recordedOn = try self.cases.store.carrierEventCase(carrier.eventID, in: db) else { return false }
                guard recordedOn == record.caseID else {
                    throw RPCError.invalidField("carrier_event_id", "carrier event \(carrier.eventID) was recorded on case \(recordedOn)")
                }
                return true
            }
        }
    }

    /// Registers a recording that carries a reason: `event`, the reason kept as the failure reason
    /// where the transition records one.
    private func outcome(
        _ method: MethodDescriptor<Aftercare_Aftersales_V1_RecordSagaOutcomeRequest, Aftercare_Aftersales_V1_CaseResponse>, _ event: CaseEvent,
        in router: inout RPCRouter
    ) {
        router.unary(method) { request, context in
            try AftersalesRequestCheck.sagaOutcome(request)
            return try await self.record(request, caseID: request.caseID, context: context) { _ in
                var action = Self.sagaAction(event, context)
                action.failureReason = request.reason
                action.note = request.reason
                return action
            }
        }
    }

    /// Registers a recording that carries a shipment the saga created.
    private func shipment(
        _ method: MethodDescriptor<Aftercare_Aftersales_V1_RecordShipmentRequest, Aftercare_Aftersales_V1_CaseResponse>, _ event: CaseEvent,
        in router: inout RPCRouter
    ) {
        router.unary(method) { request, context in
            try AftersalesRequestCheck.shipment(request)
            return try await self.record(request, caseID: request.caseID, context: context) { _ in
                var action = Self.sagaAction(event, context)
                action.shipment = CaseShipment(request.shipment)
                action.note = "shipment \(request.shipment.shipmentID) \(request.shipment.carrier) \(request.shipment.trackingNumber)"
                return action
            }
        }
    }

    /// Runs a saga's recording once (step ledger, or idempotency key): due timers fired first; a
    /// compensation changes nothing and answers the case; `unlessAlreadyDone` answers the case as it
    /// is when the recording's natural key was already recorded.
    private func record<Request: SwiftProtobuf.Message>(
        _ request: Request, caseID: String, withoutKey: MutationLedger.WithoutKey = .refuse, context: ServerContext,
        _ build: @escaping @Sendable (CaseRecord) throws -> CaseEventRequest,
        unlessAlreadyDone: @escaping @Sendable (CaseRecord, any SQLConnection) throws -> Bool = { _, _ in false }
    ) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        try await self.fireDue(caseID, context: context)
        return try await self.ledger.once(context, request: request, withoutKey: withoutKey) { db in
            var record = try self.cases.loadForChange(caseID, in: db)
            let alreadyDone = try unlessAlreadyDone(record, db)
            if context.saga?.direction == .compensate || alreadyDone {
                return try self.cases.answer(record, in: db)
            }
            try self.cases.apply(try build(record), to: &record, context: context, in: db)
            return try self.cases.answer(record, in: db)
        }
    }

    /// A recording's action: actor "saga", named by the saga id (or the caller's actor).
    private static func sagaAction(_ event: CaseEvent, _ context: ServerContext) -> CaseEventRequest {
        CaseEventRequest(event, actor: "saga", actorID: context.saga?.sagaID ?? context.actor ?? "")
    }
}
