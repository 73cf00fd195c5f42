public import AftercareRPC
import GRDB

/// A database call that failed because of the storage under it, not the call: the disk is full
/// (`SQLITE_FULL`), an I/O error (`SQLITE_IOERR`), the file is read-only (`SQLITE_READONLY`) or
/// cannot be opened (`SQLITE_CANTOPEN`), or it is damaged (`SQLITE_CORRUPT`, `SQLITE_NOTADB`); on
/// PostgreSQL, the same causes by SQLSTATE (`53100` disk full, `58030` I/O error, `25006` read
/// only, `XX001`/`XX002` damaged), a server that cannot be reached (`DATABASE_UNREACHABLE`: the
/// connection failed or was lost, SQLSTATE class `08`, `57P01`–`57P03`, `53300`), and a
/// transaction rolled back for conflicts at every attempt (`DATABASE_CONTENTION`: `40001`, `40P01`).
///
/// ``ServiceDatabase`` throws it in place of GRDB's error. Its transaction rolled back, so a call
/// failing with it is *not executed* — unless the handler did something outside the database
/// first (a provider's charge, say), which it says with ``afterExternalEffect(_:)``. A call ends
/// `UNAVAILABLE` with a retry hint (a later try may succeed once the operator has made room or
/// remounted the disk), or `DATA_LOSS` when the file is damaged.
public struct StorageFault: Error, Sendable, CustomStringConvertible, RPCErrorConvertible {
    /// What failed, by SQLite's primary result code.
    public enum Cause: String, Sendable {
        case full = "SQLITE_FULL"
        case ioError = "SQLITE_IOERR"
        case readOnly = "SQLITE_READONLY"
        case cannotOpen = "SQLITE_CANTOPEN"
        case corrupt = "SQLITE_CORRUPT"
        case notADatabase = "SQLITE_NOTADB"
        /// PostgreSQL only: the server cannot be reached, or the connection to it was lost.
        case unreachable = "DATABASE_UNREACHABLE"
        /// PostgreSQL only: the server rolled the transaction back for conflicts with concurrent
        /// ones (serialization failures, deadlocks) at every attempt; a later try may pass.
        case contention = "DATABASE_CONTENTION"

        init?(_ code: ResultCode) {
            switch code {
            case .SQLITE_FULL: self = .full
            case .SQLITE_IOERR: self = .ioError
            case .SQLITE_READONLY: self = .readOnly
            case .SQLITE_CANTOPEN: self = .cannotOpen
            case .SQLITE_CORRUPT: self = .corrupt
            case .SQLITE_NOTADB: self = .notADatabase
            default: return nil
            }
        }

        /// The cause for people.
        var summary: String {
            switch self {
            case .full: "the disk is full"
            case .ioError: "an I/O error"
            case .readOnly: "the database is read-only"
            case .cannotOpen: "the database file cannot be opened"
            case .corrupt: "the database file is damaged"
            case .notADatabase: "the file is not a database"
            case .unreachable: "the database server cannot be reached"
            case .contention: "the database kept rolling the transaction back for conflicts with concurrent ones"
            }
        }
    }

    /// How long a caller should wait before trying again after an `UNAVAILABLE` storage fault.
    public static let retryAfter: Duration = .seconds(5)
    /// The same after contention, which passes as soon as the concurrent writers do.
    public static let retryAfterContention: Duration = .milliseconds(200)

    public let cause: Cause
    /// SQLite's extended result code, e.g. 778 (`SQLITE_IOERR_WRITE`); 0 on PostgreSQL.
    public let extendedCode: Int32
    /// SQLite's message, e.g. "database or disk is full", or PostgreSQL's (with its SQLSTATE).
    public let sqliteMessage: String
    /// The database file, or the PostgreSQL database's URL (without a password).
    public let path: String
    /// Whether the call's effect happened: *not executed* (the transaction rolled back) unless
    /// ``afterExternalEffect(_:)`` said otherwise.
    public private(set) var outcome: CallOutcome = .notExecuted
    /// What the handler did outside the database before the fault, if anything.
    public private(set) var externalEffect: String?

    /// The fault `error` is, if it is a storage fault of the database at `path`.
    public init?(_ error: any Error, path: String) {
        guard let error = error as? DatabaseError, let cause = Cause(error.resultCode) else { return nil }
        self.cause = cause
        self.extendedCode = error.extendedResultCode.rawValue
        self.sqliteMessage = error.message ?? "\(error.resultCode)"
        self.path = path
    }

    /// A fault of the PostgreSQL driver.
    init(cause: Cause, message: String, path: String) {
        self.cause = cause
        self.extendedCode = 0
        self.sqliteMessage = message
        self.path = path
    }

    /// The same fault, for a handler that had already done `effect` outside the database (charged
    /// a provider, say): the call's outcome is *unknown*, and a retry with the same key finishes it.
    public func afterExternalEffect(_ effect: String) -> StorageFault {
        var fault = self
        fault.outcome = .unknown
        fault.externalEffect = effect
        return fault
    }

    /// `UNAVAILABLE` with a retry hint, or `DATA_LOSS` for a damaged file; the cause in the message.
    public func rpcError(method: String) -> RPCError {
        let damaged = self.cause == .corrupt || self.cause == .notADatabase
        var message = "\(method) failed: storage fault: \(self.cause.summary) (\(self.cause.rawValue): \(self.sqliteMessage)); "
        if let externalEffect {
            message += "\(externalEffect); retry with the same idempotency key to finish it"
        } else {
            message += "nothing was changed"
        }
        return RPCError(
            damaged ? .dataLoss : .unavailable, message, outcome: self.outcome,
            retryAfter: damaged ? nil : self.cause == .contention ? Self.retryAfterContention : Self.retryAfter)
    }

    public var description: String {
        "\(self.cause.rawValue) (extended code \(self.extendedCode): \(self.sqliteMessage)) on \(self.path)"
    }
}
