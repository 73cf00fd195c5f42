import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit
import AftercareWire

extension OrdersService {
    /// The largest stock a SKU may be set to, and the most units one restock adds.
    static let maxStock: Int64 = 1_000_000_000

    func registerStock(in router: inout RPCRouter) {
        router.unary(OrdersMethods.setStock) { request, context in
            try RequestCheck.required(request.sku, "sku")
            guard (0...Self.maxStock).contains(request.quantity) else {
                throw RPCError.invalidField("quantity", "must be 0 to \(Self.maxStock), got \(request.quantity)")
            }
            try RequestCheck.optional(request.sellerID, "seller_id")
            try RequestCheck.optional(request.productID, "product_id")
            if request.hasUnitPrice { try RequestCheck.money(request.unitPrice, "unit_price") }
            // Setting is idempotent by itself: the same quantity again changes nothing.
            return try await self.ledger.once(context, request: request, withoutKey: .naturalKey) { db in
                try Self.refuseCompensation(context)
                try self.store.lockStock(request.sku, in: db)
                let current = try self.store.stock(request.sku, in: db)
                if !request.sellerID.isEmpty, !current.sellerID.isEmpty, current.sellerID != request.sellerID {
                    throw RPCError.failedPrecondition("seller_id: sku \(request.sku) belongs to seller \(current.sellerID), not \(request.sellerID)")
                }
                var described = current
                if current.sellerID.isEmpty { described.sellerID = request.sellerID }
                if !request.productID.isEmpty { described.productID = request.productID }
                if request.hasUnitPrice { described.unitPrice = request.unitPrice }
                let redescribed = described != current
                if current.updatedAtUnixMicros != 0 && current.quantity == request.quantity && !redescribed {
                    return Aftercare_Orders_V1_StockResponse(current)
                }
                let now = self.clock.nowMicros
                var stock = current
                if current.updatedAtUnixMicros == 0 || current.quantity != request.quantity {
                    stock = try self.store.setStock(
                        request.sku, to: request.quantity, movementID: RecordID.make("stm", atMicros: now), reason: "set", now: now, in: db)
                }
                if redescribed {
                    try self.store.describe(request.sku, as: described, in: db)
                    stock = try self.store.stock(request.sku, in: db)
                }
                try self.events.stock(stock, context: context, in: db)
                return Aftercare_Orders_V1_StockResponse(stock)
            }
        }
        router.unary(OrdersMethods.restock) { request, context in
            try RequestCheck.required(request.sku, "sku")
            try RequestCheck.positive(request.quantity, "quantity")
            guard request.quantity <= Self.maxStock else {
                throw RPCError.invalidField("quantity", "at most \(Self.maxStock), got \(request.quantity)")
            }
            try RequestCheck.optional(request.caseID, "case_id")
            try RequestCheck.optional(request.reason, "reason")
            // One restock per case and SKU: the case is the natural key; without one, a key is needed.
            let naturalKey = request.caseID.isEmpty ? nil : Self.restockMovementID(caseID: request.caseID, sku: request.sku)
            return try await self.ledger.once(context, request: request, withoutKey: naturalKey == nil ? .refuse : .naturalKey) { db in
                try Self.refuseCompensation(context)
                if let naturalKey, try self.store.hasMovement(naturalKey, in: db) {
                    return Aftercare_Orders_V1_StockResponse(try self.store.stock(request.sku, in: db))
                }
                try self.addStock(
                    request.sku, request.quantity, caseID: request.caseID, movementID: naturalKey,
                    reason: request.reason.isEmpty ? "restock" : request.reason, order: nil, context, in: db)
                return Aftercare_Orders_V1_StockResponse(try self.store.stock(request.sku, in: db))
            }
        }
        router.unary(OrdersMethods.getStock) { request, _ in
            try RequestCheck.required(request.sku, "sku")
            return Aftercare_Orders_V1_StockResponse(try await self.database.snapshot { db in try self.store.stock(request.sku, in: db) })
        }
    }
}
