import AftercareNIO
import AftercareTesting
import Foundation
import Logging
import Testing

/// The socket file's modes, and how a server treats what it finds at its path.
@Suite("Unix socket files")
struct UnixSocketFileTests {
    private let logger = Logger.test("uds")

    /// Binds `path`, runs `body` while the transport listens, then closes it.
    private func withListener(_ path: String, _ body: () async throws -> Void) async throws {
        let transport = try await NIOServerTransport.bind(to: .unix(path: path), logger: self.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await transport.listen { _ in } }
            defer { transport.beginGracefulShutdown() }
            try await body()
        }
    }

    private func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test("the socket is mode 0660 in a directory of mode 0750")
    func modes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.appending("run/echo.sock")
        try await self.withListener(path) {
            let socketMode = try self.mode(path)
            let directoryMode = try self.mode(directory.appending("run"))
            #expect(socketMode == 0o660)
            #expect(directoryMode == 0o750)
        }
    }

    @Test("a stale socket nobody listens on is replaced")
    func staleSocket() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.appending("stale.sock")
        // A socket file left by a process that died: bound, never unlinked, nobody listening.
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path.utf8) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        close(fd)
        #expect(bound == 0)
        #expect(FileManager.default.fileExists(atPath: path))
        try await self.withListener(path) {}
    }

    @Test("a socket another server listens on is refused")
    func socketInUse() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.appending("busy.sock")
        try await self.withListener(path) {
            let error = await #expect(throws: UnixSocketError.self) {
                _ = try await NIOServerTransport.bind(to: .unix(path: path), logger: self.logger)
            }
            #expect(error?.message == "is in use by another server")
        }
    }

    @Test("a path that is not a socket is never replaced")
    func regularFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.appending("data.sock")
        #expect(FileManager.default.createFile(atPath: path, contents: Data("precious".utf8)))
        let error = await #expect(throws: UnixSocketError.self) {
            _ = try await NIOServerTransport.bind(to: .unix(path: path), logger: self.logger)
        }
        #expect(error?.message.contains("not a socket") == true)
        #expect(FileManager.default.contents(atPath: path) == Data("precious".utf8))
    }

    @Test("a path longer than Linux allows is refused with its length")
    func tooLong() async throws {
        let path = "/tmp/" + String(repeating: "x", count: 120) + ".sock"
        let error = await #expect(throws: UnixSocketError.self) {
            _ = try await NIOServerTransport.bind(to: .unix(path: path), logger: self.logger)
        }
        #expect(error?.message.contains("at most 107") == true)
    }
}
