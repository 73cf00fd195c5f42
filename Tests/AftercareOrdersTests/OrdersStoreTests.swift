@testable import AftercareOrders
import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import SwiftProtobuf
import Testing

/// Orders' store, the same code on both drivers of the database layer: SQLite (GRDB) and
/// PostgreSQL (postgres-nio, a throw-away server of the test process's own).
@Suite("Orders store")
struct OrdersStoreTests {
    let store = OrdersStore()

    /// A paid order of two lines (2 × 30.00 and 1 × 40.00 CNY, 5.00 shipping), created at `created`.
    static func order(_ id: String, buyer: String = "buyer_1", seller: String = "seller_1", created: Int64 = 100) -> Aftercare_Orders_V1_Order {
        var order = Aftercare_Orders_V1_Order()
        order.orderID = id
        order.buyerID = buyer
        order.sellerID = seller
        order.status = .created
        order.shippingFee = .init(500, "CNY")
        order.total = .init(10_500, "CNY")
        order.promisedDeliveryUnixMicros = 9_000
        order.createdAtUnixMicros = created
        order.updatedAtUnixMicros = created
        order.lines = [
            Self.line("\(id)_l1", sku: "sku_1", quantity: 2, unitPrice: 3_000),
            Self.line("\(id)_l2", sku: "sku_2", quantity: 1, unitPrice: 4_000),
        ]
        return order
    }

    static func line(_ id: String, sku: String, quantity: Int64, unitPrice: Int64) -> Aftercare_Orders_V1_OrderLine {
        var line = Aftercare_Orders_V1_OrderLine()
        line.lineID = id
        line.sku = sku
        line.title = "Item \(sku)"
        line.category = "apparel"
        line.option = "M"
        line.quantity = quantity
        line.unitPrice = .init(unitPrice, "CNY")
        return line
    }

    /// `order` paid in full at `paidAt`.
    static func paid(_ order: Aftercare_Orders_V1_Order, at paidAt: Int64 = 200) -> Aftercare_Orders_V1_Order {
        var paid = order
        paid.status = .paid
        paid.paid = order.total
        paid.paymentID = "pay_\(order.orderID)"
        paid.paidAtUnixMicros = paidAt
        paid.updatedAtUnixMicros = paidAt
        return paid
    }

    /// An open reservation of `amount` for `caseID` on `orderID`, holding `lines` (line id, units).
    static func reservation(
        _ caseID: String, orderID: String, kind: Aftercare_Orders_V1_ReservationKind = .amount, amount: Int64, lines: [(String, Int64)] = [],
        at now: Int64 = 300
    ) -> Aftercare_Orders_V1_Reservation {
        var reservation = Aftercare_Orders_V1_Reservation()
        reservation.caseID = caseID
        reservation.orderID = orderID
        reservation.kind = kind
        reservation.status = .open
        reservation.sagaID = "saga_\(caseID)"
        reservation.amount = .init(amount, "CNY")
        reservation.lines = lines.map { id, quantity in .with { $0.lineID = id; $0.quantity = quantity } }
        reservation.createdAtUnixMicros = now
        reservation.updatedAtUnixMicros = now
        return reservation
    }

    @Test("orders and lines: inserted, locked, updated, read back with reservations summed in, alike on both drivers", arguments: TestSQLDriver.allCases)
    func ordersAndLines(driver: TestSQLDriver) async throws {
        let store = self.store
        try await driver.withDatabase(migrations: .orders) { database in
            let locked = try await database.transaction { db in
                try store.insert(Self.order("ord_1"), in: db)
                try store.update(Self.paid(Self.order("ord_1")), in: db)
                return [try store.lockOrder("ord_1", in: db), try store.lockOrder("ord_9", in: db)]
            }
            #expect(locked == [true, false])
            try await database.transaction { db in
                try store.save(Self.reservation("case_1", orderID: "ord_1", amount: 2_500, lines: [("ord_1_l1", 1)]), in: db)
                var released = Self.reservation("case_2", orderID: "ord_1", amount: 1_000, lines: [("ord_1_l1", 1)])
                released.status = .released
                try store.save(released, in: db)
                var exchange = Self.reservation("case_3", orderID: "ord_1", kind: .replacement, amount: 0, lines: [("ord_1_l2", 1)])
                exchange.status = .committed
                exchange.lineID = "ord_1_l2"
                exchange.quantity = 1
                try store.save(exchange, in: db)
                var line = Self.line("ord_1_l2", sku: "sku_2b", quantity: 1, unitPrice: 4_000)
                line.option = "L"
                line.refundedQuantity = 1
                line.returnedQuantity = 1
                line.refunded = .init(1_500, "CNY")
                try store.update(line, now: 400, in: db)
                try store.insert(Self.line("ord_1_l3", sku: "sku_3", quantity: 1, unitPrice: 100), orderID: "ord_1", lineNumber: 3, now: 400, in: db)
            }
            let order = try #require(try await database.snapshot { db in try store.order("ord_1", in: db) })
            #expect(order.status == .paid && order.paid == .init(10_500, "CNY") && order.paymentID == "pay_ord_1" && order.paidAtUnixMicros == 200)
            #expect(order.reserved == .init(2_500, "CNY"))
            #expect(order.refundable == .init(8_000, "CNY"))
            #expect(order.lines.map(\.lineID) == ["ord_1_l1", "ord_1_l2", "ord_1_l3"])
            #expect(order.lines.map(\.reservedQuantity) == [1, 0, 0])
            #expect(order.lines.map(\.exchangedQuantity) == [0, 1, 0])
            #expect(order.lines[1].sku == "sku_2b" && order.lines[1].option == "L" && order.lines[1].refunded == .init(1_500, "CNY"))
            #expect(order.lines[1].refundedQuantity == 1 && order.lines[1].returnedQuantity == 1)
            try await database.snapshot { (db: any SQLConnection) throws in
                #expect(try store.lineCount("ord_1", in: db) == 3)
                #expect(try store.order("ord_9", in: db) == nil)
                #expect(throws: RPCError.self) { try store.requireOrder("ord_9", in: db) }
                #expect(try store.openReservationCase("ord_1", in: db) == "case_1")
            }
        }
    }

    @Test("party pages, due completions and totals, alike on both drivers", arguments: TestSQLDriver.allCases)
    func pagesAndTotals(driver: TestSQLDriver) async throws {
        let store = self.store
        try await driver.withDatabase(migrations: .orders) { database in
            try await database.transaction { db in
                for (index, id) in ["ord_1", "ord_2", "ord_3"].enumerated() {
                    try store.insert(Self.order(id, seller: index == 2 ? "seller_2" : "seller_1", created: Int64(100 + index)), in: db)
                }
                try store.update(Self.paid(Self.order("ord_1"), at: 200), in: db)
                var delivered = Self.paid(Self.order("ord_2"), at: 210)
                delivered.status = .delivered
                delivered.deliveredAtUnixMicros = 220
                delivered.autoCompleteAtUnixMicros = 500
                try store.update(delivered, in: db)
                var refund = Self.reservation("case_1", orderID: "ord_1", amount: 1_200)
                refund.status = .committed
                refund.committedAmount = .init(1_000, "CNY")
                refund.closedAtUnixMicros = 250
                try store.save(refund, in: db)
            }
            try await database.snapshot { (db: any SQLConnection) throws in
                #expect(try store.orders(where: .seller, is: "seller_1", statuses: [], before: nil, limit: 10, in: db).map(\.orderID) == ["ord_2", "ord_1"])
                #expect(try store.orders(where: .seller, is: "seller_1", statuses: [.paid, .created], before: nil, limit: 10, in: db).map(\.orderID) == ["ord_1"])
                #expect(try store.orders(where: .buyer, is: "buyer_1", statuses: [], before: nil, limit: 2, in: db).map(\.orderID) == ["ord_3", "ord_2"])
                #expect(try store.orders(where: .buyer, is: "buyer_1", statuses: [], before: "ord_3", limit: 1, in: db).map(\.orderID) == ["ord_2"])
                #expect(try store.orders(where: .buyer, is: "buyer_1", statuses: [.delivered], before: nil, limit: 10, in: db).map(\.orderID) == ["ord_2"])
                #expect(try store.orders(where: .buyer, is: "buyer_2", statuses: [], before: nil, limit: 10, in: db).isEmpty)
                #expect(try store.dueForCompletion(at: 499, limit: 10, in: db).isEmpty)
                #expect(try store.dueForCompletion(at: 500, limit: 10, in: db) == ["ord_2"])
                let seller = try store.totals(for: .seller("seller_1"), from: 0, to: 1_000, in: db)
                #expect(seller.orders == 2)
                #expect(seller.paid == [.init(21_000, "CNY")])
                #expect(seller.refunded == [.init(1_000, "CNY")])
                let buyer = try store.totals(for: .buyer("buyer_1"), from: 0, to: 1_000, in: db)
                #expect(buyer.orders == 3)
                #expect(buyer.paid == [.init(21_000, "CNY")])
                #expect(buyer.refunded == [.init(1_000, "CNY")])
                let platform = try store.totals(for: .platform, from: 101, to: 205, in: db)
                #expect(platform.orders == 2)
                #expect(platform.paid == [.init(10_500, "CNY")])
                #expect(platform.refunded.isEmpty)
            }
        }
    }

    @Test("a buyer's or seller's totals read only that party's orders in the window and their reservations, never every refund of the window (SQLite's plan)")
    func partyTotalsPlan() async throws {
        try await TestSQLDriver.sqlite.withDatabase(migrations: .orders) { database in
            try await database.snapshot { (db: any SQLConnection) throws in
                for party in [OrdersStore.Party.buyer("buyer_1"), .seller("seller_1")] {
                    let name = if case .buyer = party { "buyer" } else { "seller" }
                    let statements = OrdersStore.totalsSQL(for: party)
                    let arguments = party.condition.arguments + [Int64(0), Int64(1_000)]
                    let plans = try [statements.orders, statements.paid, statements.refunded].map { sql in
                        try db.query("EXPLAIN QUERY PLAN \(sql)", arguments).map { row -> String in try row["detail"] }
                    }
                    #expect(plans[0].contains { $0.contains("orders_by_\(name)_created (\(name)_id=? AND created_at>? AND created_at<?)") }, "\(plans[0])")
                    #expect(plans[1].contains { $0.contains("orders_by_\(name)_paid (\(name)_id=? AND paid_at>? AND paid_at<?)") }, "\(plans[1])")
                    #expect(plans[2].first?.contains("SEARCH o USING INDEX orders_by_\(name)") == true, "\(plans[2])")
                    #expect(plans[2].contains { $0.contains("reservations_by_order (order_id=? AND status=? AND closed_at>? AND closed_at<?)") }, "\(plans[2])")
                    #expect(!plans.joined().contains { $0.hasPrefix("SCAN") || $0.contains("reservations_by_closed") }, "\(plans)")
                }
            }
        }
    }

    @Test("reservations: saved over, their lines replaced, archived and read back; stock set, described, moved, alike on both drivers",
          arguments: TestSQLDriver.allCases)
    func reservationsAndStock(driver: TestSQLDriver) async throws {
        let store = self.store
        try await driver.withDatabase(migrations: .orders) { database in
            let first = Self.reservation("case_1", orderID: "ord_1", amount: 2_500, lines: [("ord_1_l1", 2)])
            let (locked, stock) = try await database.transaction { db in
                try store.insert(Self.order("ord_1"), in: db)
                let unlocked = try store.lockReservation("case_1", in: db)
                try store.save(first, in: db)
                var released = first
                released.status = .released
                released.previousAmount = .init(3_000, "CNY")
                released.closedAtUnixMicros = 350
                try store.save(released, in: db)
                try store.archive(replaced: released, replacedID: "rsr_1", now: 360, in: db)
                var second = Self.reservation("case_1", orderID: "ord_1", amount: 900, lines: [("ord_1_l2", 1)], at: 370)
                second.sagaID = "saga_2"
                try store.save(second, in: db)
                let locked = [unlocked, try store.lockReservation("case_1", in: db), try store.lockStock("sku_1", in: db)]
                try store.setStock("sku_1", to: 5, movementID: "stm_1", reason: "set", now: 10, in: db)
                var described = Aftercare_Orders_V1_Stock()
                described.sellerID = "seller_1"
                described.productID = "prd_1"
                described.unitPrice = .init(3_000, "CNY")
                try store.describe("sku_1", as: described, in: db)
                let taken = try store.setStock("sku_1", to: 3, movementID: "stm_2", caseID: "case_1", reason: "replacement reserved", now: 20, in: db)
                return (locked + [try store.lockStock("sku_1", in: db)], taken)
            }
            #expect(locked == [false, true, false, true])
            #expect(stock.quantity == 3 && stock.sellerID == "seller_1" && stock.productID == "prd_1" && stock.updatedAtUnixMicros == 20)
            #expect(stock.unitPrice == .init(3_000, "CNY"))
            try await database.snapshot { (db: any SQLConnection) throws in
                let current = try #require(try store.reservation("case_1", in: db))
                #expect(current.sagaID == "saga_2" && current.amount == .init(900, "CNY") && current.status == .open)
                #expect(!current.hasPreviousAmount && !current.hasCommittedAmount)
                #expect(current.lines.map(\.lineID) == ["ord_1_l2"])
                let replaced = try store.replacedReservations("case_1", in: db)
                #expect(replaced.map(\.status) == [.released])
                #expect(replaced.first?.previousAmount == .init(3_000, "CNY"))
                #expect(replaced.first?.lines == first.lines)
                #expect(throws: RPCError.self) { try store.requireReservation("case_9", in: db) }
                #expect(try store.hasMovement("stm_2", in: db))
                #expect(try !store.hasMovement("stm_3", in: db))
                let never = try store.stock("sku_9", in: db)
                #expect(never.quantity == 0 && never.updatedAtUnixMicros == 0 && !never.hasUnitPrice)
                let deltas = try db.queryValues("SELECT delta FROM stock_movements WHERE sku = ? ORDER BY created_at", ["sku_1"], as: Int64.self)
                #expect(deltas == [5, -2])
            }
        }
    }
}
