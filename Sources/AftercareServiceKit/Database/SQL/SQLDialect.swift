/// What SQLite and PostgreSQL spell differently, spelled once here; everything else of our SQL is
/// the same text on both.
public enum SQLDialect: Sendable, Hashable {
    case sqlite
    case postgres

    /// The column type of bytes: `BLOB` on SQLite, `BYTEA` on PostgreSQL.
    public var bytes: String {
        switch self {
        case .sqlite: "BLOB"
        case .postgres: "BYTEA"
        }
    }
}
