/// Where a server listens or a client connects.
public enum TransportAddress: Sendable, Hashable, CustomStringConvertible {
    /// A Unix domain socket path (at most 107 bytes on Linux).
    case unix(path: String)
    /// A TCP host and port; port 0 on a server picks a free one.
    case tcp(host: String, port: Int)

    public var description: String {
        switch self {
        case .unix(let path): "unix:\(path)"
        case .tcp(let host, let port): "tcp:\(host):\(port)"
        }
    }

    /// Parses a ``description``, `unix:<path>` or `tcp:<host>:<port>` (port 1 to 65535), as
    /// configuration files write addresses; `nil` for anything else.
    public init?(_ text: String) {
        if text.hasPrefix("unix:"), text.count > 5 {
            self = .unix(path: String(text.dropFirst(5)))
            return
        }
        guard text.hasPrefix("tcp:"), let colon = text.lastIndex(of: ":"), colon > text.index(text.startIndex, offsetBy: 4),
            let port = Int(text[text.index(after: colon)...]), (1...65_535).contains(port)
        else { return nil }
        self = .tcp(host: String(text[text.index(text.startIndex, offsetBy: 4)..<colon]), port: port)
    }
}
