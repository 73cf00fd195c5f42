import Foundation

/// A fresh directory under `/tmp` with a short path (Unix socket paths are capped at 107 bytes).
public struct TemporaryDirectory: Sendable {
    public let path: String

    /// Makes a new, empty directory.
    public init() throws {
        var template = Array("/tmp/ac-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw TestKitError("cannot make a temporary directory: errno \(errno)")
        }
        self.path = String(cString: made)
    }

    /// A path inside the directory.
    public func appending(_ name: String) -> String {
        "\(self.path)/\(name)"
    }

    /// Removes the directory and everything in it.
    public func remove() {
        try? FileManager.default.removeItem(atPath: self.path)
    }
}

/// A failure of the test kit itself.
public struct TestKitError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
