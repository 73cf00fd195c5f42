import AftercareOrders
import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import AftercareWire
import Foundation
import GRDB
import SwiftProtobuf

/// The orders service in process over an in-memory database, with the feed and step methods beside
/// it, and the database at hand for dumps.
struct OrdersFixture: Sendable {
    let service: InMemoryService
    var database: ServiceDatabase { self.service.database }
    var clock: ServiceClock { self.service.clock }
    var feed: EventFeed { self.service.feed }
    var ledger: MutationLedger { self.service.ledger }

    init() throws {
        self.service = try InMemoryService("orders", migrations: OrdersMigrations.all, start: Date(timeIntervalSince1970: 1_790_000_000))
    }

    /// Starts the service in process and runs `body` with a client of it.
    func run<Result: Sendable>(_ body: @Sendable (OrdersClient) async throws -> Result) async throws -> Result {
        try await self.service.serve([OrdersService(database: self.database, clock: self.clock, feed: self.feed, ledger: self.ledger)]) { client in
            try await body(OrdersClient(rpc: client))
        }
    }

    /// Every row of every table of the service (its own, the feed and the ledgers), as text.
    func dump() async throws -> [String] {
        try await self.database.dump()
    }

    /// The types of the feed's events, in order.
    func eventTypes() async throws -> [String] {
        try await self.database.read { db in try String.fetchAll(db, sql: "SELECT type FROM feed_events ORDER BY seq") }
    }
}

/// Calls of the orders service, with the sample order most tests use.
struct OrdersClient: Sendable {
    let rpc: RPCClient

    /// A buyer's order of two teas at 25.00 and a cup at 40.00, shipping 10.00: total 100.00 CNY.
    static func sampleOrder(buyer: String = "b_1", seller: String = "s_1") -> Aftercare_Orders_V1_CreateOrderRequest {
        .with {
            $0.buyerID = buyer
            $0.sellerID = seller
            $0.currency = "CNY"
            $0.shippingFee = .init(1_000, "CNY")
            $0.promisedDeliveryUnixMicros = 1_790_500_000_000_000
            $0.lines = [
                .with { $0.sku = "tea-green"; $0.title = "Green tea"; $0.category = "food"; $0.quantity = 2; $0.unitPrice = .init(2_500, "CNY") },
                .with {
                    $0.sku = "cup-red"; $0.title = "Cup"; $0.category = "home"; $0.option = "red"; $0.quantity = 1
                    $0.unitPrice = .init(4_000, "CNY")
                },
            ]
        }
    }

    func call<Request, Response>(
        _ method: MethodDescriptor<Request, Response>, _ request: Request, key: String? = nil, saga: SagaContext? = nil
    ) async throws -> Response {
        try await self.rpc.unary(method, request, options: CallOptions(saga: saga, idempotencyKey: key))
    }

    func create(_ request: Aftercare_Orders_V1_CreateOrderRequest = Self.sampleOrder(), key: String = UUID().uuidString) async throws
        -> Aftercare_Orders_V1_Order
    {
        try await self.call(OrdersMethods.createOrder, request, key: key).order
    }

    /// A new sample order, paid by `payment`.
    func paidOrder(buyer: String = "b_1", seller: String = "s_1", payment: String = "pay_1") async throws -> Aftercare_Orders_V1_Order {
        let order = try await self.create(Self.sampleOrder(buyer: buyer, seller: seller))
        return try await self.markPaid(order, payment: payment)
    }

    func markPaid(_ order: Aftercare_Orders_V1_Order, payment: String = "pay_1") async throws -> Aftercare_Orders_V1_Order {
        try await self.call(
            OrdersMethods.markPaid, .with { $0.orderID = order.orderID; $0.paymentID = payment; $0.amount = order.total }
        ).order
    }

    func order(_ id: String) async throws -> Aftercare_Orders_V1_Order {
        try await self.call(OrdersMethods.getOrder, .with { $0.orderID = id }).order
    }

    func stock(_ sku: String) async throws -> Int64 {
        try await self.call(OrdersMethods.getStock, .with { $0.sku = sku }).stock.quantity
    }

    func setStock(_ sku: String, _ quantity: Int64) async throws {
        _ = try await self.call(OrdersMethods.setStock, .with { $0.sku = sku; $0.quantity = quantity })
    }

    func queryStep(_ sagaID: String, _ step: String) async throws -> Aftercare_Common_V1_QueryStepResponse {
        try await self.call(StepMethods.queryStep, .with { $0.sagaID = sagaID; $0.step = step })
    }
}

extension SagaContext {
    static func forward(_ saga: String, _ step: String) -> SagaContext { SagaContext(sagaID: saga, step: step, direction: .forward) }
    static func compensate(_ saga: String, _ step: String) -> SagaContext { SagaContext(sagaID: saga, step: step, direction: .compensate) }
}
