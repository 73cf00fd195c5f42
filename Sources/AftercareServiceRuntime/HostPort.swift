package import AftercareServiceKit

/// A `host:port` setting (`listen.tcp`, `metrics.listen`).
package struct HostPort: Sendable, Hashable, CustomStringConvertible {
    package var host: String
    package var port: Int

    /// Parses `text` as `host:port` (the port 0–65535, the host not empty), or stops naming `key`.
    package init(parsing text: String, key: String) throws(ServiceSettingsError) {
        guard let colon = text.lastIndex(of: ":"), colon != text.startIndex, let port = Int(text[text.index(after: colon)...]),
            (0...65_535).contains(port)
        else {
            throw ServiceSettingsError(key: key, problem: "must be host:port, got \(text)")
        }
        self.host = String(text[..<colon])
        self.port = port
    }

    package var description: String { "\(self.host):\(self.port)" }
}
