import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit

extension OrdersService {
    /// `ListOrders` page sizes: the default and the largest.
    static let defaultPageSize = 50
    static let maxPageSize = 200

    func registerQueries(in router: inout RPCRouter) {
        router.unary(OrdersMethods.getOrder) { request, _ in
            try RequestCheck.required(request.orderID, "order_id")
            return Aftercare_Orders_V1_OrderResponse(try await self.database.snapshot { db in try self.store.requireOrder(request.orderID, in: db) })
        }
        router.unary(OrdersMethods.listOrders) { request, _ in try await self.listOrders(request) }
        router.unary(OrdersMethods.getReservation) { request, _ in
            try RequestCheck.required(request.caseID, "case_id")
            return try await self.database.snapshot { db in
                let reservation = try self.store.requireReservation(request.caseID, in: db)
                var response = Aftercare_Orders_V1_ReservationResponse(reservation, try self.store.requireOrder(reservation.orderID, in: db))
                response.replaced = try self.store.replacedReservations(request.caseID, in: db)
                return response
            }
        }
        router.unary(OrdersMethods.getTotals) { request, _ in
            let party = try Self.party(request)
            guard request.fromUnixMicros < request.toUnixMicros else {
                throw RPCError.invalidField(
                    "to_unix_micros", "must be after from_unix_micros (\(request.fromUnixMicros)), got \(request.toUnixMicros)")
            }
            return try await self.database.snapshot { db in
                try self.store.totals(for: party, from: request.fromUnixMicros, to: request.toUnixMicros, in: db)
            }
        }
    }

    func listOrders(_ request: Aftercare_Orders_V1_ListOrdersRequest) async throws -> Aftercare_Orders_V1_ListOrdersResponse {
        let column: OrdersStore.PartyColumn
        let partyID: String
        switch (request.buyerID.isEmpty, request.sellerID.isEmpty) {
        case (true, true):
            throw RPCError.invalidField("buyer_id", "one of buyer_id and seller_id is required")
        case (false, false):
            throw RPCError.invalidField("seller_id", "give buyer_id or seller_id, not both")
        case (false, true):
            try RequestCheck.required(request.buyerID, "buyer_id")
            (column, partyID) = (.buyer, request.buyerID)
        case (true, false):
            try RequestCheck.required(request.sellerID, "seller_id")
            (column, partyID) = (.seller, request.sellerID)
        }
        for (index, status) in request.statuses.enumerated() where Aftercare_Orders_V1_OrderStatus(name: status.name) == nil {
            throw RPCError.invalidField("statuses[\(index)]", "unknown order status \(status.rawValue)")
        }
        let pageSize = try RequestCheck.pageSize(request.pageSize, default: Self.defaultPageSize, maximum: Self.maxPageSize)
        let cursor = try Self.cursor(request.pageToken)
        let orders = try await self.database.snapshot { db in
            try self.store.orders(where: column, is: partyID, statuses: request.statuses, before: cursor, limit: pageSize + 1, in: db)
        }
        var response = Aftercare_Orders_V1_ListOrdersResponse()
        response.orders = Array(orders.prefix(pageSize))
        if orders.count > pageSize, let last = response.orders.last {
            response.nextPageToken = last.orderID
        }
        return response
    }

    /// The order id a page token continues after; `nil` for the first page.
    static func cursor(_ token: String) throws(RPCError) -> String? {
        guard !token.isEmpty else { return nil }
        try RequestCheck.optional(token, "page_token")
        guard token.hasPrefix("ord_") else { throw RPCError.invalidField("page_token", "not a page token of ListOrders") }
        return token
    }

    /// Whose totals a `GetTotals` request asks for.
    static func party(_ request: Aftercare_Orders_V1_GetTotalsRequest) throws(RPCError) -> OrdersStore.Party {
        switch request.partyKind {
        case .buyer:
            try RequestCheck.required(request.partyID, "party_id")
            return .buyer(request.partyID)
        case .seller:
            try RequestCheck.required(request.partyID, "party_id")
            return .seller(request.partyID)
        case .platform:
            guard request.partyID.isEmpty else { throw RPCError.invalidField("party_id", "must be empty for the platform") }
            return .platform
        default:
            throw RPCError.invalidField("party_kind", "must be BUYER, SELLER or PLATFORM")
        }
    }
}
