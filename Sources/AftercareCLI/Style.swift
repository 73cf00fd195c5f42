import Foundation

/// How text looks: colour and bold only when standard output is a terminal and `NO_COLOR` is unset.
struct Style: Sendable {
    let colour: Bool

    static let current = Style(colour: isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)

    func bold(_ text: String) -> String { self.wrap(text, "1") }
    func dim(_ text: String) -> String { self.wrap(text, "2") }
    func green(_ text: String) -> String { self.wrap(text, "32") }
    func red(_ text: String) -> String { self.wrap(text, "31") }
    func yellow(_ text: String) -> String { self.wrap(text, "33") }
    func cyan(_ text: String) -> String { self.wrap(text, "36") }

    /// A saga state, an attempt result or a health word, coloured by what it means.
    func outcome(_ word: String) -> String {
        switch word {
        case "completed", "ok", "queried_done", "queried_nothing_to_undo", "nothing_to_undo", "up", "SERVING", "OK": self.green(word)
        case "stuck", "failed", "refused", "queried_refused", "invalid", "down", "compensated": self.red(word)
        case "compensating", "unknown", "pending", "queried_pending", "queried_absent", "query_failed", "not_executed", "waiting", "sent":
            self.yellow(word)
        default: word
        }
    }

    private func wrap(_ text: String, _ code: String) -> String {
        self.colour && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

/// Writes a line to standard output.
func say(_ line: String = "") {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
