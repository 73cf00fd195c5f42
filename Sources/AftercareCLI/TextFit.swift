import Foundation

/// Text measured, wrapped and elided by the columns a terminal shows: escape sequences
/// (`ESC [ … m`) take none.
enum TextFit {
    /// Columns `text` takes on a terminal.
    static func width(_ text: String) -> Int {
        var width = 0
        var inEscape = false
        for character in text {
            if inEscape {
                if character == "m" { inEscape = false }
            } else if character == "\u{1B}" {
                inEscape = true
            } else {
                width += 1
            }
        }
        return width
    }

    /// `text` padded with spaces to `width` columns.
    static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - Self.width(text)))
    }

    /// Joins two words a wrap keeps on one line (`took 5.00 s`); written as a space.
    static let glue = "\u{00A0}"

    /// `name` and the first word of `value` kept together on one line by a wrap.
    static func pair(_ name: String, _ value: String) -> String {
        name + Self.glue + value
    }

    /// `text` kept whole on one line by a wrap (`started 2026-12-02 03:31:12.296`).
    static func unbroken(_ text: String) -> String {
        text.replacingOccurrences(of: " ", with: Self.glue)
    }

    /// `text` in lines of at most `width` columns, broken between words (spaces, not `glue`): the
    /// first line starts with `first`, the others with `rest`. Only a word wider than a whole line
    /// is broken inside.
    static func wrap(_ text: String, width: Int, first: String = "", rest: String = "") -> [String] {
        var lines: [String] = []
        var line = first
        var lineHasWord = false
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            // The spaces a break replaced do not start the next line.
            if word.isEmpty && !lineHasWord && !lines.isEmpty { continue }
            let room = width - Self.width(line) - (lineHasWord ? 1 : 0)
            if Self.width(word) <= room {
                line += (lineHasWord ? " " : "") + word
                lineHasWord = true
                continue
            }
            if lineHasWord {
                lines.append(line)
                line = rest
                lineHasWord = false
            }
            if word.isEmpty { continue }
            var remaining = word
            while Self.width(remaining) > width - Self.width(line) {
                let (head, tail) = Self.split(remaining, at: max(1, width - Self.width(line)))
                lines.append(line + head)
                line = rest
                remaining = tail
            }
            line += remaining
            lineHasWord = true
        }
        lines.append(line)
        return lines.map { Self.trimmed($0.replacingOccurrences(of: Self.glue, with: " ")) }
    }

    /// `text` in at most `width` columns: whole when it fits, else its start and its distinctive
    /// tail joined by `…` (`refund-evt_01M8…X4JHDPSA`). Plain text only.
    static func elide(_ text: String, to width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 2 else { return String(text.suffix(width)) }
        let tail = (width - 1) * 2 / 3
        return text.prefix(width - 1 - tail) + "…" + text.suffix(tail)
    }

    /// `line` without the spaces it ends with.
    static func trimmed(_ line: String) -> String {
        var line = line
        while line.last == " " { line.removeLast() }
        return line
    }

    /// The first `columns` visible characters of `text` and the rest, escape sequences kept whole.
    private static func split(_ text: String, at columns: Int) -> (String, String) {
        var count = 0
        var inEscape = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if inEscape {
                if character == "m" { inEscape = false }
            } else if character == "\u{1B}" {
                inEscape = true
            } else {
                if count == columns { break }
                count += 1
            }
            index = text.index(after: index)
        }
        return (String(text[..<index]), String(text[index...]))
    }
}
