/// Why a policy file was refused: the line (when the YAML has one), the key path and the problem.
package struct PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based line in the file.
    package let line: Int?
    /// The key path, e.g. `rules[2].outcome`; empty for the whole file.
    package let key: String
    /// What is wrong.
    package let problem: String

    package init(line: Int?, key: String, problem: String) {
        self.line = line
        self.key = key
        self.problem = problem
    }

    package var description: String {
        var text = "review policy"
        if let line { text += ", line \(line)" }
        if !key.isEmpty { text += ", key \(key)" }
        return text + ": " + problem
    }
}
