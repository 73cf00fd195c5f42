#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file-system side of a listening Unix socket (WIRE.md §12): a 0750 directory, a 0660
/// socket, a stale socket replaced safely and a live one refused.
enum UnixSocketFile {
    /// Makes the socket's directory (mode 0750) and clears a stale socket at `path`.
    /// Throws if another process still accepts connections there, or `path` is not a socket.
    static func prepare(_ path: String) throws {
        guard path.utf8.count <= 107 else {
            throw UnixSocketError(path: path, message: "is \(path.utf8.count) bytes; Linux allows at most 107")
        }
        let directory = Self.directory(of: path)
        if mkdir(directory, 0o750) == 0 {
            chmod(directory, 0o750)
        } else if errno != EEXIST {
            throw UnixSocketError(path: directory, message: "cannot be created: \(Self.lastError())")
        }
        var status = stat()
        guard lstat(path, &status) == 0 else { return }
        guard status.st_mode & S_IFMT == S_IFSOCK else {
            throw UnixSocketError(path: path, message: "exists and is not a socket; refusing to replace it")
        }
        if Self.accepts(path) {
            throw UnixSocketError(path: path, message: "is in use by another server")
        }
        guard unlink(path) == 0 || errno == ENOENT else {
            throw UnixSocketError(path: path, message: "is stale and cannot be removed: \(Self.lastError())")
        }
    }

    /// Sets the socket's mode to 0660 once bound.
    static func restrict(_ path: String) throws {
        guard chmod(path, 0o660) == 0 else {
            throw UnixSocketError(path: path, message: "cannot be set to mode 0660: \(Self.lastError())")
        }
    }

    /// Whether a server accepts connections on `path` now.
    private static func accepts(_ path: String) -> Bool {
        #if canImport(Glibc)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: path.utf8.prefix(buffer.count - 1))
        }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0
    }

    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}

/// A Unix socket path that cannot be listened on.
public struct UnixSocketError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String

    public var description: String { "socket \(self.path) \(self.message)" }
}

extension UnixSocketFile {
    /// Which file is at `path` now, so a server removes only its own socket: device, inode and
    /// change time (a socket made after ours was unlinked may get our inode number again).
    struct Identity: Sendable, Equatable {
        var device: UInt64
        var inode: UInt64
        var changedSeconds: Int
        var changedNanoseconds: Int
    }

    static func identity(_ path: String) -> Identity? {
        var status = stat()
        guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFSOCK else { return nil }
        return Identity(
            device: UInt64(status.st_dev), inode: UInt64(status.st_ino),
            changedSeconds: Int(status.st_ctim.tv_sec), changedNanoseconds: Int(status.st_ctim.tv_nsec))
    }

    /// Removes the socket a server leaves behind when it stops, unless another server has
    /// replaced it since.
    static func remove(_ path: String, ifStill identity: Identity) {
        guard Self.identity(path) == identity else { return }
        unlink(path)
    }
}
