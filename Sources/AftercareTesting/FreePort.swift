import Foundation

/// A TCP port on 127.0.0.1 that nothing listens on right now, for an executable that must be told
/// its port before it starts. The kernel picks it; another process could take it before the
/// executable binds it, which on a test machine is rare enough.
package enum FreePort {
    package static func next() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestKitError("socket(): errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw TestKitError("bind(127.0.0.1:0): errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
