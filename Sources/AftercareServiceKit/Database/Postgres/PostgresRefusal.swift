import NIOSSL
import PostgresNIO

/// The database refused this service's connection for a reason waiting will not change: the
/// server's certificate failed the check `sslmode` asks for, the server takes no TLS where the URL
/// requires it, the password or the user was refused, the database does not exist, no
/// `pg_hba.conf` entry admits the connection. A configuration mistake, named by its setting: the
/// service stops at start (exit status 78) instead of retrying.
package struct PostgresRefusal: Error, Sendable, CustomStringConvertible {
    /// The setting to fix: `database.url`, or `database.passwordFile` for a refused password.
    package let setting: String
    /// What the server or the TLS check said.
    package let message: String

    package var description: String { "\(self.setting): \(self.message)" }

    /// The refusal `error` is, if it is one; `nil` for what may pass (a server not up yet, a
    /// connection refused or cut).
    init?(_ error: any Error) {
        guard let error = error as? PSQLError else {
            guard let tls = Self.tlsFailure(error) else { return nil }
            self.init(setting: "database.url", message: "TLS to the database failed: \(tls)")
            return
        }
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            let message = "\(state): \(error.serverInfo?[.message] ?? "")"
            switch state {
            case "28P01": self.init(setting: "database.passwordFile", message: "the password was refused (\(message))")
            case "28000", "3D000", "42501", "3F000": self.init(setting: "database.url", message: message)
            default: return nil
            }
        case .sslUnsupported:
            self.init(setting: "database.url", message: "the server takes no TLS, which sslmode requires")
        case .unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError:
            self.init(setting: "database.passwordFile", message: "authentication failed (\(error.code))")
        default:
            guard let tls = error.underlying.flatMap(Self.tlsFailure) else { return nil }
            self.init(setting: "database.url", message: "TLS to the database failed: \(tls)")
        }
    }

    package init(setting: String, message: String) {
        self.setting = setting
        self.message = message
    }

    /// `error`'s TLS failure (a certificate that fails the check, a handshake the server broke
    /// off), if it is one.
    private static func tlsFailure(_ error: any Error) -> String? {
        switch error {
        case let error as NIOSSLError: "\(error)"
        case let error as BoringSSLError: "\(error)"
        case let error as NIOSSLExtraError: "\(error)"
        default: nil
        }
    }
}
