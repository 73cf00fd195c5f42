/// `proto-spec/WIRE.md` read as text: sections by number, table rows as cells, numbers as written there.
struct WireSpecDocument {
    struct NotFound: Error, CustomStringConvertible {
        var description: String
    }

    let text: String

    init() throws {
        self.text = try SpecFiles.wireSpec()
    }

    /// The text of section `number` ("4", "5.1"), from its heading up to the next heading.
    func section(_ number: String) throws -> String {
        let isTop = !number.contains(".")
        let heading = isTop ? "## \(number). " : "### \(number) "
        let lines = self.text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix(heading) }) else {
            throw NotFound(description: "WIRE.md has no heading \"\(heading)\"")
        }
        let end = lines[(start + 1)...].firstIndex(where: { $0.hasPrefix("## ") || $0.hasPrefix("### ") }) ?? lines.endIndex
        return lines[start..<end].joined(separator: "\n")
    }

    /// The body rows of the first table in section `number`, each as trimmed cells (header and rule rows dropped).
    func tableRows(_ number: String) throws -> [[String]] {
        var rows: [[String]] = []
        var inTable = false
        for line in try self.section(number).split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("|") else {
                if inTable { break }
                continue
            }
            inTable = true
            rows.append(Self.cells(line))
        }
        guard rows.count > 2 else { throw NotFound(description: "section \(number) of WIRE.md has no table") }
        return Array(rows.dropFirst(2))
    }

    /// The cells of a table row; `\|` inside a cell is not a separator.
    static func cells(_ line: Substring) -> [String] {
        var cells: [String] = []
        var cell = ""
        var previous: Character = " "
        for character in line.dropFirst() {
            if character == "|" && previous != "\\" {
                cells.append(cell.trimmingSpaces())
                cell = ""
            } else {
                cell.append(character)
            }
            previous = character
        }
        return cells
    }

    /// The text of section `number` with every run of white space (line breaks included) made one space.
    func prose(_ number: String) throws -> String {
        try self.section(number).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The first match of `regex` in the prose of section `number`, or an error saying what was looked for.
    func first<Output>(_ regex: Regex<Output>, in number: String, _ what: String) throws -> Output {
        guard let match = try self.prose(number).firstMatch(of: regex) else {
            throw NotFound(description: "section \(number) of WIRE.md does not state \(what)")
        }
        return match.output
    }
}

extension String {
    func trimmingSpaces() -> String {
        String(self.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    /// The text without backticks.
    var unquoted: String { self.filter { $0 != "`" } }
}

/// "1,048,576" → 1048576.
func specNumber(_ text: some StringProtocol) -> UInt64? {
    UInt64(String(text.filter { $0 != "," && $0 != "`" }))
}

/// "`0x8001`" → 0x8001.
func specHex(_ text: some StringProtocol) -> UInt64? {
    let digits = String(text.filter { $0 != "`" })
    guard digits.hasPrefix("0x") else { return nil }
    return UInt64(digits.dropFirst(2), radix: 16)
}
