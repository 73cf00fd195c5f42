import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit

extension OrdersStore {
    /// A SKU's stock; quantity 0 and time 0 for a SKU never set.
    func stock(_ sku: String, in db: any SQLConnection) throws -> Aftercare_Orders_V1_Stock {
        var stock = Aftercare_Orders_V1_Stock()
        stock.sku = sku
        if let row = try db.queryOne(
            "SELECT quantity, seller_id, product_id, unit_price_minor, price_currency, updated_at FROM stock WHERE sku = ?", [sku])
        {
            stock.quantity = try row["quantity"]
            stock.sellerID = try row["seller_id"]
            stock.productID = try row["product_id"]
            let currency: String = try row["price_currency"]
            if !currency.isEmpty { stock.unitPrice = Aftercare_Common_V1_Money(try row["unit_price_minor"], currency) }
            stock.updatedAtUnixMicros = try row["updated_at"]
        }
        return stock
    }

    /// Takes a SKU's row lock for the rest of the transaction, before its stock is read (as
    /// ``lockOrder(_:in:)`` does for an order): two transactions taking or adding units of one SKU
    /// never both start from the same quantity. `false` when the SKU has no stock row yet (nothing
    /// to lock: its first row is written by the upsert of ``setStock(_:to:movementID:caseID:reason:now:in:)``).
    @discardableResult
    func lockStock(_ sku: String, in db: any SQLConnection) throws -> Bool {
        try db.execute("UPDATE stock SET updated_at = updated_at WHERE sku = ?", [sku]) > 0
    }

    /// Sets a SKU's stock to `quantity` and records the movement; returns the stock after.
    @discardableResult
    func setStock(
        _ sku: String, to quantity: Int64, movementID: String, caseID: String = "", reason: String, now: Int64, in db: any SQLConnection
    ) throws -> Aftercare_Orders_V1_Stock {
        let before = try self.stock(sku, in: db).quantity
        try db.execute(
            """
            INSERT INTO stock (sku, quantity, created_at, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (sku) DO UPDATE SET quantity = excluded.quantity, updated_at = excluded.updated_at
            """,
            [sku, quantity, now, now])
        try db.execute(
            """
            INSERT INTO stock_movements (movement_id, sku, delta, quantity_after, case_id, reason, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [movementID, sku, quantity - before, quantity, caseID, reason, now, now])
        return try self.stock(sku, in: db)
    }

    /// Writes a SKU's catalogue entry: its seller, product and unit price (it must have a row: set
    /// its stock first).
    func describe(_ sku: String, as stock: Aftercare_Orders_V1_Stock, in db: any SQLConnection) throws {
        try db.execute(
            "UPDATE stock SET seller_id = ?, product_id = ?, unit_price_minor = ?, price_currency = ? WHERE sku = ?",
            [stock.sellerID, stock.productID, stock.unitPrice.amountMinor, stock.unitPrice.currency, sku])
    }

    /// Whether the movement with this natural key was recorded.
    func hasMovement(_ movementID: String, in db: any SQLConnection) throws -> Bool {
        try db.queryOne("SELECT 1 FROM stock_movements WHERE movement_id = ?", [movementID]) != nil
    }
}
