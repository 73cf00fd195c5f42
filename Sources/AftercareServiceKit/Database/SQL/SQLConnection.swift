/// A connection inside a transaction, as a store sees it: our portable SQL with `?` placeholders,
/// the same on SQLite (GRDB) and PostgreSQL (postgres-nio). A store method takes it from the
/// caller's ``SQLDatabase/write(_:)`` or ``SQLDatabase/read(_:)`` and never ends the transaction.
///
/// Calls block the calling thread until the database answered: bodies run on the database's own
/// threads (GRDB's writer and readers, or the PostgreSQL driver's pool of body threads), never on
/// Swift's cooperative pool.
public protocol SQLConnection {
    /// Which database this is, for what the dialects spell differently (``SQLDialect``).
    var dialect: SQLDialect { get }

    /// Runs one statement; the number of rows it inserted, updated or deleted.
    @discardableResult
    func execute(_ sql: String, _ arguments: [any SQLConvertible]) throws -> Int

    /// Runs one query; its rows.
    func query(_ sql: String, _ arguments: [any SQLConvertible]) throws -> [SQLRow]

    /// Runs several statements separated by `;`, without arguments: a migration's DDL.
    func executeScript(_ sql: String) throws

    /// Runs `body` in a savepoint: if it throws, its changes are rolled back and the error is
    /// rethrown, and the rest of the transaction goes on.
    func withSavepoint<T>(_ body: () throws -> T) throws -> T

    /// Runs `action` once this transaction has committed, before its caller is answered; never
    /// when the transaction rolls back, nor when the savepoint it was registered in rolls back (a
    /// group-committed write's own savepoint included). For what must follow committed changes
    /// only: counting them, waking the feed's followers. Actions run in the order registered, and
    /// must not block.
    func afterCommit(_ action: @escaping @Sendable () -> Void)
    /// Holds the lock named `key` until this transaction ends: transactions that take the same key
    /// run one after the other from this point on. For numbering that reads the last number and
    /// writes the next (a feed's `MAX(seq) + 1`, an inbox's head row), which concurrent writers
    /// would otherwise both read alike.
    ///
    /// SQLite runs one writer at a time, so there it does nothing. On PostgreSQL it is an advisory
    /// lock, and what the transaction reads after it (`READ COMMITTED`) includes what the writer
    /// it waited for committed. A transaction rolled back (a deadlock; a serialization failure in
    /// one that asked for `SERIALIZABLE`, whose snapshot is older than the wait) runs again holding
    /// the keys it took from before it begins.
    func serialize(on key: SQLLockKey) throws
}

extension SQLConnection {
    /// Runs one statement without arguments.
    @discardableResult
    public func execute(_ sql: String) throws -> Int {
        try self.execute(sql, [])
    }

    /// The first row, if any.
    public func queryOne(_ sql: String, _ arguments: [any SQLConvertible] = []) throws -> SQLRow? {
        try self.query(sql, arguments).first
    }

    /// The first column of the first row as `T`; `nil` when there is no row or it is `NULL`
    /// (`MAX` of no rows). `SUM` and `COUNT` read as `Int64` on both databases.
    public func queryValue<T: SQLConvertible>(_ sql: String, _ arguments: [any SQLConvertible] = [], as type: T.Type = T.self) throws -> T? {
        guard let row = try self.queryOne(sql, arguments) else { return nil }
        return try row.decode(at: 0, as: T?.self)
    }

    /// The first column of every row as `T`.
    public func queryValues<T: SQLConvertible>(_ sql: String, _ arguments: [any SQLConvertible] = [], as type: T.Type = T.self) throws -> [T] {
        try self.query(sql, arguments).map { row throws(SQLDecodingError) in try row.decode(at: 0) }
    }
}

/// `count` placeholders separated by commas, `?, ?, ?`: an `IN (…)` list or a row of values built
/// at run time.
public func sqlPlaceholders(count: Int) -> String {
    Array(repeating: "?", count: count).joined(separator: ", ")
}
