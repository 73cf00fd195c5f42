import Foundation

/// A fresh directory under `/tmp` with a short path (Unix socket paths are capped at 107 bytes).
package struct TemporaryDirectory: Sendable {
    package let path: String

    /// Makes a new, empty directory.
    package init() throws {
        var template = Array("/tmp/ac-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw TestKitError("cannot make a temporary directory: errno \(errno)")
        }
        self.path = String(cString: made)
    }

    /// `/tmp/<prefix>-<pid>`, made anew, for what one test process keeps until it exits; the
    /// folders of `prefix` whose process no longer runs are removed first.
    package static func perProcess(_ prefix: String) throws -> TemporaryDirectory {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
        for name in names where name.hasPrefix("\(prefix)-") {
            guard let pid = Int32(name.dropFirst(prefix.count + 1)), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: "/tmp/\(name)")
        }
        let path = "/tmp/\(prefix)-\(getpid())"
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        return TemporaryDirectory(path: path)
    }

    private init(path: String) {
        self.path = path
    }

    /// A path inside the directory.
    package func appending(_ name: String) -> String {
        "\(self.path)/\(name)"
    }

    /// Removes the directory and everything in it.
    package func remove() {
        try? FileManager.default.removeItem(atPath: self.path)
    }
}

/// A failure of the test kit itself.
package struct TestKitError: Error, CustomStringConvertible {
    package var description: String

    package init(_ description: String) {
        self.description = description
    }
}
