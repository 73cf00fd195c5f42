import AftercareOrdersAPI
import AftercareRPC
import GRDB

extension OrdersStore {
    /// A SKU's stock; quantity 0 and time 0 for a SKU never set.
    func stock(_ sku: String, in db: Database) throws -> Aftercare_Orders_V1_Stock {
        var stock = Aftercare_Orders_V1_Stock()
        stock.sku = sku
        if let row = try Row.fetchOne(
            try db.cachedStatement(sql: "SELECT quantity, seller_id, product_id, unit_price_minor, price_currency, updated_at FROM stock WHERE sku = ?"),
            arguments: [sku])
        {
            stock.quantity = row["quantity"]
            stock.sellerID = row["seller_id"]
            stock.productID = row["product_id"]
            let currency: String = row["price_currency"]
            if !currency.isEmpty { stock.unitPrice = Aftercare_Common_V1_Money(row["unit_price_minor"], currency) }
            stock.updatedAtUnixMicros = row["updated_at"]
        }
        return stock
    }

    /// Sets a SKU's stock to `quantity` and records the movement; returns the stock after.
    @discardableResult
    func setStock(
        _ sku: String, to quantity: Int64, movementID: String, caseID: String = "", reason: String, now: Int64, in db: Database
    ) throws -> Aftercare_Orders_V1_Stock {
        let before = try self.stock(sku, in: db).quantity
        try db.cachedStatement(sql: """
                INSERT INTO stock (sku, quantity, created_at, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (sku) DO UPDATE SET quantity = excluded.quantity, updated_at = excluded.updated_at
                """).execute(
            arguments: [sku, quantity, now, now])
        try db.cachedStatement(sql: """
                INSERT INTO stock_movements (movement_id, sku, delta, quantity_after, case_id, reason, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(
            arguments: [movementID, sku, quantity - before, quantity, caseID, reason, now, now])
        return try self.stock(sku, in: db)
    }

    /// Writes a SKU's catalogue entry: its seller, product and unit price (it must have a row: set
    /// its stock first).
    func describe(_ sku: String, as stock: Aftercare_Orders_V1_Stock, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE stock SET seller_id = ?, product_id = ?, unit_price_minor = ?, price_currency = ? WHERE sku = ?")
            .execute(arguments: [stock.sellerID, stock.productID, stock.unitPrice.amountMinor, stock.unitPrice.currency, sku])
    }

    /// Whether the movement with this natural key was recorded.
    func hasMovement(_ movementID: String, in db: Database) throws -> Bool {
        try Bool.fetchOne(try db.cachedStatement(sql: "SELECT 1 FROM stock_movements WHERE movement_id = ?"), arguments: [movementID]) ?? false
    }
}
