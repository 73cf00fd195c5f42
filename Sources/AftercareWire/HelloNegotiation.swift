/// The checks each side makes of the other's HELLO (WIRE.md §2.3, §5.1).
public enum HelloNegotiation {
    /// A server's check of a client's HELLO: the same major version and limits within range.
    ///
    /// - Parameters:
    ///   - hello: the client's HELLO.
    ///   - serverName: the server's name, for the error text.
    /// - Returns: the version both sides then speak (the lower minor).
    public static func acceptClient(_ hello: HelloFields, serverName: String) throws(WireError) -> ProtocolVersion {
        let ours = WireProtocol.version
        guard hello.version.major == ours.major else {
            throw WireError(.unsupportedVersion, "\(serverName) speaks protocol \(ours.major).x, the client sent \(hello.version)")
        }
        try hello.limits.validate()
        return ProtocolVersion(major: ours.major, minor: min(ours.minor, hello.version.minor))
    }
}
