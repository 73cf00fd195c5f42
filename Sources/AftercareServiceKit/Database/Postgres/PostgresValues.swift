import Foundation
import NIOCore
import PostgresNIO

/// Our values as postgres-nio binds and reads them: where PostgreSQL types a result differently
/// from SQLite (`SUM(BIGINT)` is `NUMERIC`, `COUNT` is `BIGINT`, `INTEGER` is `int4`, a comparison
/// is `boolean`), it is converted here, once, to what the GRDB driver reads.
enum PostgresValues {
    /// `arguments` as binds: integers `int8`, text `text`, bytes `bytea`, `NULL` untyped.
    static func bindings(_ arguments: [any SQLConvertible]) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument.sqlValue {
            case .null: bindings.appendNull()
            case .integer(let integer): bindings.append(integer)
            case .real(let real): bindings.append(real)
            case .text(let text): bindings.append(text)
            case .bytes(let bytes): bindings.append(ByteBuffer(bytes: bytes))
            case .bool(let flag): bindings.append(flag ? Int64(1) : Int64(0))
            }
        }
        return bindings
    }

    /// A result row, its values converted.
    static func row(from row: PostgresRow) throws -> SQLRow {
        var columns: [String] = []
        var values: [SQLValue] = []
        for cell in row {
            columns.append(cell.columnName)
            values.append(try Self.value(of: cell))
        }
        return SQLRow(columns: columns, values: values)
    }

    private static func value(of cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
        case .numeric: return Self.number(try cell.decode(Decimal.self))
        case .float4, .float8: return .real(try cell.decode(Double.self))
        case .bool: return .bool(try cell.decode(Bool.self))
        case .bytea: return .bytes(Data(try cell.decode(ByteBuffer.self).readableBytesView))
        default: return .text(try cell.decode(String.self))
        }
    }

    /// A `NUMERIC` as an integer when it is a whole number that fits (a sum of integers), else a
    /// `Double`.
    private static func number(_ decimal: Decimal) -> SQLValue {
        let text = "\(decimal)"
        if let integer = Int64(text) { return .integer(integer) }
        return .real(Double(text) ?? .nan)
    }
}
