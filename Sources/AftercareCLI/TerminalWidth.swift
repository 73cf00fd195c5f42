import Foundation

/// How many columns the CLI's text may use.
enum TerminalWidth {
    /// Below this nothing is laid out: a narrower request is taken as this.
    static let minimum = 40
    /// Text written to a pipe or a file, with no `COLUMNS` to say otherwise.
    static let fallback = 100

    /// `override` (`--width`), else the terminal's width (`TIOCGWINSZ` on standard output), else
    /// `COLUMNS`, else 100.
    static func resolve(_ override: Int?, environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        if let override { return max(Self.minimum, override) }
        if let columns = Self.terminalColumns() { return max(Self.minimum, columns) }
        if let columns = environment["COLUMNS"].flatMap({ Int($0) }), columns > 0 { return max(Self.minimum, columns) }
        return Self.fallback
    }

    /// The columns of the terminal standard output writes to; `nil` when it is not a terminal.
    private static func terminalColumns() -> Int? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
}
