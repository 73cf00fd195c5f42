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
}
