/// The faults a ``FaultInjector`` applies, in order.
///
/// Scripts name one fault a line (or separated by `;`), so tests and test-mode executables can
/// set them from a string:
///
/// ```
/// drop-reply payments/Refund #3      # the reply of the 3rd call to payments/Refund
/// duplicate orders/Reserve #1
/// drop-request */*                   # every request
/// delay-request logistics/Create #2 250ms
/// delay-reply * 1s
/// reorder orders/* #1
/// garble-request orders/ReserveRefund #1   # refused by the server, nothing run
/// hold-request orders/ReserveRefund #1 until orders/ReserveRefund #2   # arrives once the 2nd is answered
/// cut-after 4096 #2                  # the 2nd connection, after 4,096 bytes written
/// ```
package struct FaultPlan: Sendable, Hashable, CustomStringConvertible {
    package var faults: [Fault]

/// A plan of `faults`, applied in order.
    package init(_ faults: [Fault] = []) {
        self.faults = faults
    }

    /// Parses a script; the error names the line that is wrong.
    package init(script: String) throws(FaultScriptError) {
        var faults: [Fault] = []
        let lines = script.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == ";" }
        for (index, line) in lines.enumerated() {
            let words = Self.words(of: String(line))
            guard !words.isEmpty else { continue }
            faults.append(try Self.fault(from: words, line: index + 1))
        }
        self.faults = faults
    }

    package var description: String { self.faults.map(\.description).joined(separator: "\n") }

    /// The words of a line. `#N` ordinals share the comment sign: a `#` followed by a digit starts
    /// an ordinal, any other `#` a comment.
    private static func words(of line: String) -> [String] {
        var words: [String] = []
        for word in line.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            if word.hasPrefix("#"), !(word.dropFirst().first?.isNumber ?? false) { break }
            words.append(String(word))
        }
        return words
    }

    private static func fault(from words: [String], line: Int) throws(FaultScriptError) -> Fault {
        let verb = words[0]
        var rest = Array(words.dropFirst())
        var ordinal: Int?
        if let index = rest.firstIndex(where: { $0.hasPrefix("#") }) {
            guard let number = Int(rest[index].dropFirst()), number >= 1 else {
                throw FaultScriptError(line: line, message: "\(rest[index]) is not an ordinal like #3")
            }
            ordinal = number
            rest.remove(at: index)
        }
        if verb == "cut-after" {
            guard rest.count == 1, let bytes = Int(rest[0]), bytes >= 0 else {
                throw FaultScriptError(line: line, message: "cut-after takes a byte count, e.g. cut-after 4096")
            }
            return .cutConnection(afterBytes: bytes, connection: ordinal)
        }
        guard let pattern = rest.first else {
            throw FaultScriptError(line: line, message: "\(verb) needs a method, e.g. \(verb) payments/Refund #3")
        }
        let method = MethodPattern(pattern)
        let arguments = Array(rest.dropFirst())
        switch verb {
        case "drop-request", "drop-reply", "duplicate", "reorder", "garble-request":
            guard arguments.isEmpty else { throw FaultScriptError(line: line, message: "\(verb) takes no \(arguments[0])") }
            let kind: Fault.Kind =
                switch verb {
                case "drop-request": .dropRequest
                case "drop-reply": .dropReply
                case "duplicate": .duplicate
                case "reorder": .reorder
                default: .garbleRequest
                }
            return Fault(kind, method: method, ordinal: ordinal)
        case "hold-request":
            guard arguments.count == 3, arguments[0] == "until", arguments[2].hasPrefix("#"), let call = Int(arguments[2].dropFirst()), call >= 1 else {
                throw FaultScriptError(line: line, message: "hold-request needs until <method> #N, e.g. hold-request orders/Reserve #1 until orders/Reserve #2")
            }
            return Fault(.holdRequest(until: MethodPattern(arguments[1]), call: call), method: method, ordinal: ordinal)
        case "delay-request", "delay-reply":
            guard arguments.count == 1, let delay = Self.duration(arguments[0]) else {
                throw FaultScriptError(line: line, message: "\(verb) needs a delay like 250ms or 2s")
            }
            return Fault(verb == "delay-request" ? .delayRequest(delay) : .delayReply(delay), method: method, ordinal: ordinal)
        default:
            throw FaultScriptError(
                line: line, message: "unknown fault \"\(verb)\" (drop-request, drop-reply, duplicate, delay-request, delay-reply, reorder, hold-request, garble-request, cut-after)")
        }
    }

    /// `250ms`, `2s`.
    private static func duration(_ text: String) -> Duration? {
        if text.hasSuffix("ms"), let value = Int(text.dropLast(2)) { return .milliseconds(value) }
        if text.hasSuffix("s"), let value = Int(text.dropLast()) { return .seconds(value) }
        return nil
    }

    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1_000 + attoseconds / 1_000_000_000_000_000
        return milliseconds % 1_000 == 0 ? "\(milliseconds / 1_000)s" : "\(milliseconds)ms"
    }
}

/// A fault script that cannot be read.
package struct FaultScriptError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based line (or `;`-separated part) of the script.
    package var line: Int
    package var message: String

    package var description: String { "fault script line \(self.line): \(self.message)" }
}
