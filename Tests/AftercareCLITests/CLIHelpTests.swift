import ArgumentParser
import Foundation
import Testing

@testable import AftercareCLI

/// The help text is argument-parser's to wrap: our abstracts and discussions carry no line breaks
/// of their own (a paragraph break, a blank line, is allowed), so `--help` reads well at any width.
@Suite("CLI help text")
struct CLIHelpTests {
    /// Every command, the root and its subcommands at every depth.
    static func commands(_ command: any ParsableCommand.Type = AftercareCommand.self) -> [any ParsableCommand.Type] {
        [command] + command.configuration.subcommands.flatMap { Self.commands($0) }
    }

    @Test("no abstract or discussion breaks a line inside a paragraph, and --help (but its usage line) fits 80 columns")
    func wrappedByArgumentParser() {
        let commands = Self.commands()
        #expect(commands.count > 10)
        for command in commands {
            let configuration = command.configuration
            for text in [configuration.abstract, configuration.discussion] {
                let paragraphs = text.components(separatedBy: "\n\n")
                #expect(paragraphs.allSatisfy { !$0.contains("\n") }, "\(command): \(text)")
            }
            let help = AftercareCommand.helpMessage(for: command, columns: 80)
            // argument-parser never wraps its USAGE line; everything else it wraps.
            let wide = help.split(separator: "\n").map(String.init).filter { $0.count > 80 && !$0.hasPrefix("USAGE:") }
            #expect(wide.isEmpty, "\(command): \(wide)")
        }
    }
}
