import AftercareAftersalesAPI
import AftercareClient
import ArgumentParser
import SwiftProtobuf
import Foundation

/// `aftercare policy …`: the review policy, for the platform team about to change it.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "The review policy: the one in force, a decision replayed, a candidate dry-run.",
        subcommands: [PolicyShow.self, PolicyReplay.self, PolicyDryRun.self])
}

struct PolicyShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "The policy in force: version, fingerprint, timers and text.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let policy = try await self.connection.withClient { try await $0.getPolicy(.init()) }
        if self.output.json { return try self.output.printJSON(["policy": policy]) }
        say("\(Style.current.bold("policy \(policy.version)"))   fingerprint \(policy.fingerprint)")
        let timers = policy.timerSeconds.sorted { $0.key < $1.key }.map { "\($0.key) \(Self.policyDuration($0.value))" }
        say("  timers: " + timers.joined(separator: ", "))
        say()
        say(policy.yaml)
    }

    /// Seconds as the policy file writes them: `7d`, `48h`, `30m`, `90s`.
    static func policyDuration(_ seconds: Int64) -> String {
        for (unit, size) in [("d", Int64(86_400)), ("h", 3_600), ("m", 60)] where seconds >= size && seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }
}

struct PolicyReplay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "A case's decision decided again with the policy that made it: the same, or what differs.",
        discussion: "Exits 1 when the replay differs from the stored decision.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The case whose latest decision is replayed.")
    var caseID: String

    func run() async throws {
        let caseID = self.caseID
        let replay = try await self.connection.withClient { try await $0.replayDecision(.with { $0.caseID = caseID }) }
        if self.output.json {
            try self.output.printJSON(["replay": replay])
        } else {
            let style = Style.current
            let stored = replay.stored
            say("\(style.bold("decision \(stored.decisionID)")) of case \(stored.caseID), policy \(stored.policyVersion) (\(stored.policyFingerprint)), decided \(Formatting.time(stored.decidedAtUnixMicros))")
            say("  stored:   \(PolicyText.verdict(stored))")
            say("  replayed: \(PolicyText.verdict(replay.replayed))")
            if replay.equal {
                say(style.green("  the same: outcome, rules and sentence"))
            } else {
                say(style.red("  different:"))
                for line in PolicyText.differences(stored, replay.replayed) { say("    " + line) }
            }
        }
        if !replay.equal { throw ExitCode(1) }
    }
}

struct PolicyDryRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dry-run", abstract: "Which past decisions a candidate policy file would change, each explained; changes nothing.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The candidate policy (YAML).")
    var file: String

    @Option(help: ArgumentHelp("Only decisions made in this age, e.g. 30d or 12h (default: all).", valueName: "age"))
    var since: String?

    @Option(help: "At most this many decisions examined, newest first (at most 10000).")
    var limit: UInt32 = 1_000

    func validate() throws {
        if let since, Formatting.parseAge(since) == nil { throw ValidationError("--since: expected an age like 30d, 12h or 15m, got \(since)") }
    }

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: self.file) else { throw CLIError("cannot read \(self.file)") }
        var request = Aftercare_Aftersales_V1_DryRunPolicyRequest()
        request.policyYaml = String(decoding: data, as: UTF8.self)
        request.limit = self.limit
        if let age = self.since.flatMap(Formatting.parseAge) { request.fromUnixMicros = Formatting.nowMicros - age }
        let result = try await self.connection.withClient { [request] in try await $0.dryRunPolicy(request) }
        if self.output.json { return try self.output.printJSON(["dry_run": result]) }
        let style = Style.current
        say("\(style.bold("candidate \(result.candidateVersion)")) (\(result.candidateFingerprint)): \(result.examined) decisions examined, \(result.changes.count) would change")
        for change in result.changes {
            say()
            say("  case \(change.caseID)  decision \(change.decisionID)")
            say("    now:       \(change.beforeOutcome) by \(change.beforeRule)\(change.beforeSellerMayRefuse ? "" : ", seller may not refuse")")
            say("    candidate: \(change.afterOutcome) by \(change.afterRule)\(change.afterSellerMayRefuse ? "" : ", seller may not refuse")")
            say("    \(change.afterSentence)")
        }
    }
}
