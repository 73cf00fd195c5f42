import Foundation

/// Where the protocol's own documents live: `proto-spec/` at the root of the package.
enum SpecFiles {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    /// The package root, found by walking up from this file to the directory holding `proto-spec/WIRE.md`.
    static let packageRoot: URL = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("proto-spec/WIRE.md").path) {
                return directory
            }
            directory.deleteLastPathComponent()
        }
        return directory
    }()

    static var specDirectory: URL { self.packageRoot.appendingPathComponent("proto-spec") }
    static var vectorDirectory: URL { self.specDirectory.appendingPathComponent("vectors") }

    /// The text of `proto-spec/WIRE.md`.
    static func wireSpec() throws -> String {
        try String(contentsOf: self.specDirectory.appendingPathComponent("WIRE.md"), encoding: .utf8)
    }

    /// The names of every `.hex` file in `proto-spec/vectors/`.
    static func vectorFileNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: self.vectorDirectory.path)
            .filter { $0.hasSuffix(".hex") }
            .sorted()
    }

    /// The bytes of one vector file.
    static func vector(_ name: String) throws -> [UInt8] {
        let text = try String(contentsOf: self.vectorDirectory.appendingPathComponent(name), encoding: .utf8)
        return try HexDump.parse(text)
    }
}

/// The vector format of WIRE.md §14: `#` starts a comment, bytes are pairs of hex digits separated by white space.
enum HexDump {
    struct BadToken: Error, CustomStringConvertible {
        var token: String
        var description: String { "not a pair of hex digits: \"\(self.token)\"" }
    }

    static func parse(_ text: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let data = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            for token in data.split(whereSeparator: \.isWhitespace) {
                guard token.count == 2, token.allSatisfy(\.isHexDigit), let byte = UInt8(token, radix: 16) else {
                    throw BadToken(token: String(token))
                }
                bytes.append(byte)
            }
        }
        return bytes
    }
}
