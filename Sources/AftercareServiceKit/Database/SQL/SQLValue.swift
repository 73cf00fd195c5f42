public import Foundation

/// A value as the database layer binds it to a `?` or reads it from a column, the same on SQLite
/// and PostgreSQL: integers of every width are `Int64` (PostgreSQL's `NUMERIC` sums and `BIGINT`
/// counts included), bytes are `Data` (`BLOB` / `BYTEA`).
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case bytes(Data)
    /// Read only: PostgreSQL's `boolean` (a comparison, `EXISTS`). Bound, a `Bool` is an integer, as
    /// our tables store it.
    case bool(Bool)
}

/// A Swift type a column reads as and a `?` binds from.
public protocol SQLConvertible: Sendable {
    /// The value to bind.
    var sqlValue: SQLValue { get }
    /// Reads `value`; `nil` when it is not of this type.
    init?(sqlValue value: SQLValue)
}

extension Int64: SQLConvertible {
    public var sqlValue: SQLValue { .integer(self) }
    public init?(sqlValue value: SQLValue) {
        guard case .integer(let integer) = value else { return nil }
        self = integer
    }
}

extension Int: SQLConvertible {
    public var sqlValue: SQLValue { .integer(Int64(self)) }
    public init?(sqlValue value: SQLValue) {
        guard case .integer(let integer) = value else { return nil }
        self.init(integer)
    }
}

extension String: SQLConvertible {
    public var sqlValue: SQLValue { .text(self) }
    public init?(sqlValue value: SQLValue) {
        guard case .text(let text) = value else { return nil }
        self = text
    }
}

extension Bool: SQLConvertible {
    public var sqlValue: SQLValue { .integer(self ? 1 : 0) }
    public init?(sqlValue value: SQLValue) {
        switch value {
        case .bool(let flag): self = flag
        case .integer(let integer): self = integer != 0
        default: return nil
        }
    }
}

extension Data: SQLConvertible {
    public var sqlValue: SQLValue { .bytes(self) }
    public init?(sqlValue value: SQLValue) {
        guard case .bytes(let bytes) = value else { return nil }
        self = bytes
    }
}

extension Optional: SQLConvertible where Wrapped: SQLConvertible {
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
    public init?(sqlValue value: SQLValue) {
        if case .null = value {
            self = .none
        } else if let wrapped = Wrapped(sqlValue: value) {
            self = .some(wrapped)
        } else {
            return nil
        }
    }
}
