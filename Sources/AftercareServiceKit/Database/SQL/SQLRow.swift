/// One row of a query's result, its columns by name, read the same on both drivers.
public struct SQLRow: Sendable, Hashable {
    /// The column names, in the query's order.
    public let columns: [String]
    /// The values, one per column.
    public let values: [SQLValue]

    public init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The value of `column` as `T`.
    /// - Throws: ``SQLDecodingError`` when the row has no such column or its value is not a `T`
    ///   (a `NULL` read as a non-optional type included).
    public func decode<T: SQLConvertible>(_ column: String, as type: T.Type = T.self) throws(SQLDecodingError) -> T {
        guard let index = self.columns.firstIndex(of: column) else { throw SQLDecodingError(column: column, expected: "\(T.self)", found: nil) }
        return try self.decode(at: index)
    }

    /// The value of `column` as `T`, the type the context asks: `try row["amount"]`.
    /// - Throws: ``SQLDecodingError``, as ``decode(_:as:)``.
    public subscript<T: SQLConvertible>(_ column: String) -> T {
        get throws(SQLDecodingError) { try self.decode(column) }
    }

    /// The value at `index` (0 is the first column) as `T`.
    public func decode<T: SQLConvertible>(at index: Int, as type: T.Type = T.self) throws(SQLDecodingError) -> T {
        let value = self.values[index]
        guard let decoded = T(sqlValue: value) else { throw SQLDecodingError(column: self.columns[index], expected: "\(T.self)", found: value) }
        return decoded
    }
}

/// A column that is not there, or does not hold the type it was read as.
public struct SQLDecodingError: Error, Sendable, CustomStringConvertible {
    public let column: String
    public let expected: String
    /// The value found, `nil` when the column is missing.
    public let found: SQLValue?

    public var description: String {
        guard let found else { return "no column \(self.column) in the row (expected \(self.expected))" }
        return "column \(self.column) holds \(found), not \(self.expected)"
    }
}
