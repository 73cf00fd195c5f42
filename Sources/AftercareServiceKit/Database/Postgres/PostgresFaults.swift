import PostgresNIO
import _ConnectionPoolModule

/// How the PostgreSQL driver reads postgres-nio's errors: which are storage faults, and which
/// mean "run the transaction again".
enum PostgresFaults {
    /// The SQLSTATE of a server error, if `error` is one.
    static func sqlState(_ error: any Error) -> String? {
        if let refused = error as? PostgresStatementError { return refused.sqlState }
        guard let error = error as? PSQLError, error.code == .server else { return nil }
        return error.serverInfo?[.sqlState]
    }

    /// A serialization failure (`40001`) or a deadlock (`40P01`): the transaction was rolled back
    /// and running it again may succeed.
    static func isRetryable(_ error: any Error) -> Bool {
        guard let state = Self.sqlState(error) else { return false }
        return state == "40001" || state == "40P01"
    }

    /// The storage fault `error` is, naming the database `target`; `nil` when it is the call's
    /// own error (a constraint, a syntax error, …).
    static func storageFault(_ error: any Error, target: String) -> StorageFault? {
        if let fault = error as? StorageFault { return fault }
        // The pool gave up connecting (after a minute of failed attempts).
        if let error = error as? ConnectionPoolError, error == .connectionCreationCircuitBreakerTripped {
            return StorageFault(cause: .unreachable, message: "no connection could be made for a minute", path: target)
        }
        guard let error = error as? PSQLError else { return nil }
        let cause: StorageFault.Cause
        switch error.code {
        case .server:
            guard let state = error.serverInfo?[.sqlState], let serverCause = Self.cause(sqlState: state) else { return nil }
            cause = serverCause
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed, .sslUnsupported,
            .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest, .unsupportedAuthMechanism, .authMechanismRequiresPassword,
            .saslError:
            cause = .unreachable
        default:
            return nil
        }
        let message = error.serverInfo.map { info in "\(info[.sqlState] ?? "?"): \(info[.message] ?? "")" } ?? "\(error.code)"
        return StorageFault(cause: cause, message: message, path: target)
    }

    private static func cause(sqlState state: String) -> StorageFault.Cause? {
        switch state {
        case "53100": .full
        case "58030": .ioError
        case "25006": .readOnly
        case "XX001", "XX002": .corrupt
        case "53300", "57P01", "57P02", "57P03", "28000", "28P01", "3D000": .unreachable
        default: state.hasPrefix("08") ? .unreachable : nil
        }
    }
}
