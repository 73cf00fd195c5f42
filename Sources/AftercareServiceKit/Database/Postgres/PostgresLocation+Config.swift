package import Configuration
import Foundation

extension PostgresLocation {
    /// The PostgreSQL database `config` names in `database.url`, its password read from the file
    /// `database.passwordFile` (a trailing newline dropped); `nil` when there is no `database.url`.
    /// - Throws: a ``ServiceSettingsError`` (exit status 78) naming `database.url` when it is
    ///   malformed, or `database.passwordFile` when that cannot be read or comes without a URL.
    package init?(config: ConfigReader) throws(ServiceSettingsError) {
        let url = config.string(forKey: "database.url") ?? ""
        let passwordFile = config.string(forKey: "database.passwordFile") ?? ""
        guard !url.isEmpty else {
            guard passwordFile.isEmpty else { throw ServiceSettingsError(key: "database.passwordFile", problem: "given without database.url") }
            return nil
        }
        var password: String?
        if !passwordFile.isEmpty {
            guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                throw ServiceSettingsError(key: "database.passwordFile", problem: "cannot read \(passwordFile)")
            }
            password = String(text.reversed().drop(while: \.isNewline).reversed())
        }
        do {
            try self.init(url: url, password: password)
        } catch {
            throw ServiceSettingsError(key: "database.url", problem: error.problem)
        }
    }
}
