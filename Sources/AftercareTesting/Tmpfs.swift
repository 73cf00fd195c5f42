import Foundation

/// A small tmpfs mounted for a test: a disk to fill up, or to make read-only, under a service's
/// database. Mounting needs root (CAP_SYS_ADMIN), as the test machines and CI run; without it the
/// mount throws, saying so — a test that needs it fails rather than passing untested.
///
/// Call ``unmount()`` on every exit path (`defer`), after the processes using it have stopped.
package struct Tmpfs: Sendable {
    /// The mount point.
    package let path: String

    /// Makes `path` and mounts a tmpfs of `size` (`mount -o size=…`, e.g. `2m`) on it.
    package init(at path: String, size: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        do {
            try Self.run("/usr/bin/mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", path])
        } catch {
            throw TestKitError("this test needs root (CAP_SYS_ADMIN) to mount a tmpfs on \(path): \(error)")
        }
        self.path = path
    }

    /// A path inside the mount.
    package func appending(_ name: String) -> String {
        "\(self.path)/\(name)"
    }

    /// Fills the disk with a file, `filler`, until not a byte more fits; returns its path.
    package func fill() throws -> String {
        let filler = self.appending("filler")
        guard FileManager.default.createFile(atPath: filler, contents: nil) else { throw TestKitError("cannot create \(filler)") }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: filler))
        defer { try? handle.close() }
        for chunk in [65_536, 4_096, 512, 1] {
            let bytes = Data(count: chunk)
            while (try? handle.write(contentsOf: bytes)) != nil {}
        }
        return filler
    }

    /// Remounts the whole tmpfs read-only.
    package func remountReadOnly() throws {
        try Self.run("/usr/bin/mount", ["-o", "remount,ro", self.path])
    }

    /// Makes one file inside the mount read-only to everyone, root included (a read-only bind
    /// mount of the file on itself); ``unmount()`` undoes it too.
    package func makeReadOnly(_ file: String) throws {
        try Self.run("/usr/bin/mount", ["--bind", file, file])
        try Self.run("/usr/bin/mount", ["-o", "remount,bind,ro", file])
    }

    /// Unmounts the tmpfs and anything mounted inside it (lazily if something still uses it).
    package func unmount() {
        if (try? Self.run("/usr/bin/umount", ["-R", self.path])) == nil {
            try? Self.run("/usr/bin/umount", ["-R", "-l", self.path])
        }
    }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestKitError("\(([tool] + arguments).joined(separator: " ")) failed (\(process.terminationStatus)): \(message)")
        }
    }
}
