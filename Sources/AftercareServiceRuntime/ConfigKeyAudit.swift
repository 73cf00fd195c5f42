package import AftercareServiceKit
package import Configuration
import Foundation
import Synchronization
import Yams

/// Remembers every setting the service read, so that a setting in the configuration file or on the
/// command line that nothing read — `acess.callers` for `access.callers` — stops the service
/// instead of being silently ignored. Environment variables are not checked: the environment
/// carries variables meant for others.
package final class ConfigKeyAudit: AccessReporter, Sendable {
    private struct State {
        var read: Set<String> = ["config"]
        var file: String?
    }

    private let state = Mutex(State())

    package init() {}

    package func report(_ event: AccessEvent) {
        let key = event.metadata.key.components.joined(separator: ".")
        _ = self.state.withLock { $0.read.insert(key) }
    }

    /// The configuration file the settings came from.
    func noteFile(_ path: String) {
        self.state.withLock { $0.file = path }
    }

    /// Stops with a ``ServiceSettingsError`` naming the first setting of the file, or flag of
    /// `arguments`, that nothing read. Call it once every part of the service read its settings.
    package func checkEverySettingRead(arguments: [String]) throws(ServiceSettingsError) {
        let (read, file) = self.state.withLock { ($0.read, $0.file) }
        if let file {
            for key in try Self.fileKeys(file) where !read.contains(key) {
                throw ServiceSettingsError(key: key, problem: "unknown setting in \(file)\(Self.hint(for: key, known: read))")
            }
        }
        let flags = Set(read.map(Self.flag))
        for argument in arguments.dropFirst() where argument.hasPrefix("--") {
            let flag = String(argument.prefix { $0 != "=" })
            guard !flags.contains(flag) else { continue }
            throw ServiceSettingsError(key: flag, problem: "unknown flag\(Self.hint(for: flag, known: flags))")
        }
    }

    /// The dotted key of every value the YAML file sets: mapping keys joined by dots down to a
    /// scalar or a list. A key with no value (`simulator:` over commented-out settings) sets
    /// nothing.
    private static func fileKeys(_ file: String) throws(ServiceSettingsError) -> [String] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: try String(contentsOfFile: file, encoding: .utf8))
        } catch {
            throw ServiceSettingsError(key: "config", problem: "cannot read \(file): \(error)")
        }
        var keys: [String] = []
        func walk(_ node: Node, _ path: String) {
            guard let mapping = node.mapping, !mapping.isEmpty else {
                if !path.isEmpty, node.null == nil { keys.append(path) }
                return
            }
            for (key, value) in mapping {
                let name = key.scalar?.string ?? "\(key)"
                walk(value, path.isEmpty ? name : "\(path).\(name)")
            }
        }
        if let root { walk(root, "") }
        return keys
    }

    /// `--spans-max-age-hours` for `spans.maxAgeHours`, as the command-line provider spells keys.
    private static func flag(_ key: String) -> String {
        "--" + key.split(separator: ".").map { component in
            var dashed = ""
            var previous: Character?
            for character in component {
                if let previous, previous.isLowercase, character.isUppercase { dashed.append("-") }
                dashed.append(character)
                previous = character
            }
            return dashed.lowercased()
        }.joined(separator: "-")
    }

    /// "; known here: …" with the known settings that share the unknown one's first part, or its
    /// closest known setting.
    private static func hint(for key: String, known: Set<String>) -> String {
        let separator: Character = key.hasPrefix("--") ? "-" : "."
        let head = key.drop { $0 == "-" }.prefix { $0 != separator }
        let siblings = known.filter { $0.drop { $0 == "-" }.hasPrefix(head + String(separator)) }.sorted()
        if !siblings.isEmpty { return "; known here: \(siblings.joined(separator: ", "))" }
        guard let closest = known.min(by: { Self.distance($0, key) < Self.distance($1, key) }), Self.distance(closest, key) <= 3 else { return "" }
        return "; did you mean \(closest)?"
    }

    /// Levenshtein distance, for "did you mean".
    private static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}
