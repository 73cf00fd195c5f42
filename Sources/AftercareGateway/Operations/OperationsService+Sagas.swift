import AftercareGatewayAPI
import AftercareRPC
import AftercareSagas
import AftercareServiceKit
import Logging

extension OperationsService {
    func registerSagas(in router: inout RPCRouter) {
        router.unary(OperationsMethods.listSagas) { request, context in
            _ = try self.requireOperator(context)
            var filter = SagaFilter(limit: try RequestCheck.pageSize(request.pageSize, default: 50, maximum: 500))
            if request.state == "waiting" {
                filter.waiting = true
            } else if !request.state.isEmpty {
                guard let state = SagaState(rawValue: request.state) else {
                    throw RPCError.invalidField("state", "expected waiting or one of \(SagaState.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(request.state)\"")
                }
                filter.state = state
            }
            if !request.definition.isEmpty { filter.definition = request.definition }
            if !request.caseID.isEmpty { filter.ids = Set(try await self.index.sagaIDs(caseID: request.caseID)) }
            if request.createdAfterUnixMicros > 0 { filter.createdAtOrAfterMicros = request.createdAfterUnixMicros }
            if request.createdBeforeUnixMicros > 0 { filter.createdBeforeMicros = request.createdBeforeUnixMicros }
            if !request.pageToken.isEmpty {
                guard let cursor = SagaCursor(request.pageToken) else { throw RPCError.invalidField("page_token", "not a token this call answered") }
                filter.after = cursor
            }
            let sagas = try await self.engine.page(filter)
            var response = Aftercare_Gateway_V1_ListSagasResponse()
            for saga in sagas {
                response.sagas.append(
                    Aftercare_Gateway_V1_SagaSummary(saga, definition: self.engine.definition(named: saga.definition), caseID: try await self.index.caseID(sagaID: saga.id)))
            }
            if sagas.count == filter.limit, let last = sagas.last {
                response.nextPageToken = SagaCursor(createdMicros: last.createdMicros, id: last.id).description
            }
            return response
        }
        router.unary(OperationsMethods.getSaga) { request, context in
            _ = try self.requireOperator(context)
            return try await self.sagaView(request.sagaID)
        }
        router.unary(OperationsMethods.retrySaga) { request, context in
            try await self.operatorAction("retried", request, context) { try await self.engine.retry($0, reason: $1) }
        }
        router.unary(OperationsMethods.resolveSaga) { request, context in
            try await self.operatorAction("resolved", request, context) { try await self.engine.resolve($0, reason: $1) }
        }
    }

    /// Saga `id` in full. NOT_FOUND naming `saga_id` when there is none.
    func sagaView(_ id: String) async throws -> Aftercare_Gateway_V1_SagaView {
        try RequestCheck.required(id, "saga_id")
        guard let saga = try await self.engine.saga(id) else { throw RPCError.notFound("saga_id", kind: "saga", id: id) }
        return Aftercare_Gateway_V1_SagaView(
            saga, definition: self.engine.definition(named: saga.definition), caseID: try await self.index.caseID(sagaID: id),
            attempts: try await self.engine.attempts(id), events: try await self.engine.events(id))
    }

    /// Runs an operator's action on the saga `request` names, with the operator and the reason as
    /// its recorded reason; answers the engine's refusals as statuses and the saga as it now is.
    private func operatorAction(
        _ done: String, _ request: Aftercare_Gateway_V1_SagaActionRequest, _ context: ServerContext,
        _ action: (String, String) async throws -> SagaRecord
    ) async throws -> Aftercare_Gateway_V1_SagaView {
        let actor = try self.requireOperator(context)
        try RequestCheck.required(request.sagaID, "saga_id")
        try RequestCheck.required(request.reason, "reason", maxLength: 1_024)
        do {
            _ = try await action(request.sagaID, "\(actor): \(request.reason)")
        } catch let error as SagaError where error.code == .unknownSaga {
            throw RPCError.notFound("saga_id", kind: "saga", id: request.sagaID)
        } catch let error as SagaError where error.code == .wrongState {
            throw RPCError.failedPrecondition(error.message)
        }
        context.logger.notice("saga \(done)", metadata: ["saga.id": "\(request.sagaID)", "operator": "\(actor)"])
        return try await self.sagaView(request.sagaID)
    }
}
