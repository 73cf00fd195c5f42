import PostgresNIO

/// A statement PostgreSQL refused, as the driver reports it: its SQLSTATE and the server's primary
/// message (postgres-nio's own error describes itself only generically, so as not to leak data
/// into logs). The server's detail, which may quote a row's key values, is left out.
package struct PostgresStatementError: Error, Sendable, CustomStringConvertible {
    /// The five-character SQLSTATE, e.g. `23505` for a unique violation.
    package let sqlState: String
    /// The server's primary message.
    package let message: String

    package var description: String { "PostgreSQL refused the statement: \(self.sqlState): \(self.message)" }

    /// The server's refusal in `error`, if it is one.
    init?(_ error: any Error) {
        guard let error = error as? PSQLError, error.code == .server, let state = error.serverInfo?[.sqlState] else { return nil }
        self.sqlState = state
        self.message = error.serverInfo?[.message] ?? ""
    }
}
