public import AftercareRPC
public import AftercareServiceKit
import AftercareLogisticsAPI
import AftercareWire
import SwiftProtobuf

/// `aftercare.logistics.v1.Logistics`: shipments, their tracking numbers and carrier events.
/// Every mutation runs through ``MutationLedger/once(_:request:withoutKey:nothingToUndo:_:)``.
public struct LogisticsService: RPCService {
    let shipments: Shipments
    let database: any SQLDatabase
    let ledger: MutationLedger

    /// - Parameters:
    ///   - database: logistics' database, on SQLite (migrated with ``AftercareServiceKit/ServiceMigrations/logistics``) or
    ///     PostgreSQL (``AftercareServiceKit/SQLMigrations/logistics``).
    ///   - clock: every timestamp and rule reads it.
    ///   - feed: logistics' event feed; each change appends to it in its own transaction.
    ///   - ledger: the step and idempotency ledgers over `database`.
    public init(database: any SQLDatabase, clock: ServiceClock, feed: EventFeed, ledger: MutationLedger) {
        self.shipments = Shipments(store: LogisticsStore(), feed: feed, clock: clock)
        self.database = database
        self.ledger = ledger
    }

    public func register(in router: inout RPCRouter) {
        router.unary(LogisticsMethods.createShipment) { request, context in try await self.createShipment(request, context) }
        router.unary(LogisticsMethods.cancelShipment) { request, context in try await self.cancelShipment(request, context) }
        router.unary(LogisticsMethods.registerBuyerTracking) { request, context in
            try ShipmentRequestCheck.registerBuyerTracking(request)
            return try await self.ledger.once(context, request: request) { db in
                try self.shipments.registerBuyerTracking(request, context: context, in: db)
            }
        }
        router.unary(LogisticsMethods.ingestCarrierEvent) { request, context in
            let event = try ShipmentRequestCheck.carrierEvent(request)
            return try await self.ledger.once(context, request: request, withoutKey: .naturalKey) { db in
                try self.shipments.ingest(event, context: context, in: db)
            }
        }
        router.unary(LogisticsMethods.getShipment) { request, _ in
            try ShipmentRequestCheck.get(request)
            return try await self.database.snapshot { db in
                try self.shipments.answer(try self.shipments.load(request.shipmentID, in: db), in: db)
            }
        }
        router.unary(LogisticsMethods.trackShipment) { request, _ in
            try ShipmentRequestCheck.track(request)
            return try await self.database.snapshot { db in
                guard let tracking = try self.shipments.store.tracking(carrier: request.carrier, number: request.trackingNumber, in: db) else {
                    throw RPCError.notFound(
                        "tracking_number", kind: "shipment with \(request.carrier) tracking number", id: request.trackingNumber)
                }
                return try self.shipments.answer(try self.shipments.load(tracking.shipmentID, in: db), in: db)
            }
        }
        router.unary(LogisticsMethods.listShipments) { request, _ in
            try ShipmentRequestCheck.list(request)
            return try await self.database.snapshot { db in
                var response = Aftercare_Logistics_V1_ListShipmentsResponse()
                response.shipments = try self.shipments.store.shipments(
                    orderID: request.orderID, caseID: request.caseID.isEmpty ? nil : request.caseID, in: db
                ).map { try self.shipments.answer($0, in: db) }
                return response
            }
        }
    }

    /// Saga-facing: the compensation cancels the shipment its forward call created.
    private func createShipment(
        _ request: Aftercare_Logistics_V1_CreateShipmentRequest, _ context: ServerContext
    ) async throws -> Aftercare_Logistics_V1_Shipment {
        let kind = try ShipmentRequestCheck.create(request)
        return try await self.ledger.once(context, request: request) { [ledger] db in
            guard let saga = context.saga, saga.direction == .compensate else {
                return try self.shipments.create(request, kind: kind, context: context, in: db)
            }
            let forward = try ledger.steps.record(saga.sagaID, saga.step, .forward, in: db)
            let created = try Aftercare_Logistics_V1_Shipment(serializedBytes: forward?.response ?? [])
            return try self.shipments.undoCreate(created, context: context, in: db)
        }
    }

    /// Saga-facing (Return cancellation, step 1): refused once the carrier reported a pick-up. A
    /// cancellation is not undone: its compensation is refused.
    private func cancelShipment(
        _ request: Aftercare_Logistics_V1_CancelShipmentRequest, _ context: ServerContext
    ) async throws -> Aftercare_Logistics_V1_Shipment {
        try ShipmentRequestCheck.cancel(request)
        return try await self.ledger.once(context, request: request) { db in
            if let saga = context.saga, saga.direction == .compensate {
                throw RPCError.failedPrecondition(
                    "shipment \(request.shipmentID) was cancelled by saga step \(saga.sagaID)/\(saga.step); a cancelled shipment cannot be restored")
            }
            return try self.shipments.cancel(request.shipmentID, reason: request.reason, context: context, in: db)
        }
    }
}
