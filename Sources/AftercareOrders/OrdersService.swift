public import AftercareRPC
public import AftercareServiceKit
import AftercareOrdersAPI
import AftercareWire

/// `aftercare.orders.v1.Orders`: orders and their lifecycle, case reservations, stock and totals
/// (`proto-spec/orders.proto`). Every mutation runs through ``MutationLedger/once`` and appends its
/// events to the feed in the same transaction.
public struct OrdersService: RPCService {
    /// The most lines a reservation or a commit may name.
    static let maxRequestLines = OrderDraft.maxLines

    let database: any SQLDatabase
    let clock: ServiceClock
    let ledger: MutationLedger
    let events: OrdersEvents
    let store = OrdersStore()
    /// How long after delivery an order the buyer has not confirmed completes by itself, in microseconds.
    let autoCompleteAfterMicros: Int64

    /// - Parameters:
    ///   - database: SQLite migrated with ``OrdersMigrations/all``, or PostgreSQL with
    ///     `SQLMigrations.orders`.
    ///   - clock: every timestamp and period reads it.
    ///   - feed: the service's event feed, on the same database.
    ///   - ledger: the step and idempotency ledgers, on the same database.
    ///   - autoCompleteAfter: how long after delivery an unconfirmed order completes by itself
    ///     (``OrderAutoCompletion`` completes it; default seven days).
    public init(
        database: any SQLDatabase, clock: ServiceClock, feed: EventFeed, ledger: MutationLedger, autoCompleteAfter: Duration = .seconds(7 * 86_400)
    ) {
        self.database = database
        self.clock = clock
        self.ledger = ledger
        self.events = OrdersEvents(feed: feed)
        self.autoCompleteAfterMicros = autoCompleteAfter.wholeMicroseconds
    }

    public func register(in router: inout RPCRouter) {
        self.registerLifecycle(in: &router)
        self.registerReservations(in: &router)
        self.registerCommits(in: &router)
        self.registerStock(in: &router)
        self.registerQueries(in: &router)
    }

    /// Refuses a compensation of a method that has none (its forward call ran: the step ledger
    /// answers a compensation without one itself).
    static func refuseCompensation(_ context: ServerContext) throws(RPCError) {
        guard context.saga?.direction != .compensate else {
            throw RPCError.failedPrecondition("\(context.method) has no compensation; its effect stands")
        }
    }
}

extension Aftercare_Orders_V1_OrderResponse {
    init(_ order: Aftercare_Orders_V1_Order) {
        self.init()
        self.order = order
    }
}

extension Aftercare_Orders_V1_ReservationResponse {
    init(_ reservation: Aftercare_Orders_V1_Reservation, _ order: Aftercare_Orders_V1_Order) {
        self.init()
        self.reservation = reservation
        self.order = order
    }
}

extension Aftercare_Orders_V1_StockResponse {
    init(_ stock: Aftercare_Orders_V1_Stock) {
        self.init()
        self.stock = stock
    }
}
