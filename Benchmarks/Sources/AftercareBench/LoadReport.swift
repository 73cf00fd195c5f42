import AftercareRPC
import BenchEcho
import Foundation

/// The markdown report of `aftercare-bench load`: one section per phase.
struct LoadReport {
    let callers: [ManyCallers.Result]
    let attack: FragmentAttack.Result
    let silent: SilentConnections.Result
    let timeLimit: Duration

    var markdown: String {
        (self.callersSection + [""] + self.attackSection + [""] + self.silentSection).joined(separator: "\n")
    }

    private var callersSection: [String] {
        guard let first = self.callers.first else { return [] }
        var lines = [
            "## Many callers",
            "",
            "\(first.callers.formatted()) concurrent callers, each making \(first.callsPerCaller.formatted()) unary echo calls "
                + "(100-byte request, 30 s deadline each), over a Unix socket in one process "
                + "(\(ProcessInfo.processInfo.activeProcessorCount) cores); the phase is given \(self.timeLimit.seconds.formatted()) s. "
                + "Stuck: callers that had not made all their calls by then. RSS is the whole process (server and clients): "
                + "before the clients start, at its peak (sampled every 50 ms), and 1 s after the clients shut down.",
            "",
            "| Security | Connections | Calls made | Succeeded | Failed | Stuck callers | Wall s | calls/s | RSS before MiB | RSS peak MiB | RSS after MiB | Stopped cleanly |",
            "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|",
        ]
        for result in self.callers {
            let counts = result.counts
            lines.append("| \(result.security.rawValue) | \(result.connections) | \(counts.made.formatted()) | \(counts.succeeded.formatted()) | "
                + "\(Self.failures(counts)) | \(result.stuckCallers) | \(String(format: "%.2f", result.wall.seconds)) | "
                + "\(String(format: "%.0f", result.callsPerSecond)) | \(Self.mebibytes(result.residentBefore)) | "
                + "\(Self.mebibytes(result.residentPeak)) | \(Self.mebibytes(result.residentAfter)) | \(result.stoppedCleanly ? "yes" : "no") |")
        }
        let firstFailures = self.callers.flatMap { result in
            result.counts.firstFailure.sorted { $0.key < $1.key }.map { "- \(result.security.rawValue), \(result.connections) connections: \($0.value)" }
        }
        if !firstFailures.isEmpty {
            lines += ["", "First failure of each status:", ""] + firstFailures
        }
        return lines
    }

    private var attackSection: [String] {
        let attack = self.attack
        let offered = attack.connections * attack.callsPerConnection * attack.fragmentBytes
        let statuses = attack.answers.endsByStatus.sorted { $0.key < $1.key }
            .map { "\(RPCError.Code(wire: $0.key)) (\($0.key)): \($0.value.formatted())" }
        return [
            "## Fragment attack",
            "",
            "\(attack.connections) plaintext connections each send the preface, HELLO and \(attack.callsPerConnection) CALL frames "
                + "flagged MORE (`\(EchoService.say.fullName)`, 30 s timeout), each carrying a \(attack.fragmentBytes.formatted())-byte fragment "
                + "(a 1 MiB frame less the call fields), and never finish them: \(Self.mebibytes(offered)) MiB offered. "
                + "Answers are read 0.5 s after the last frame. RSS is the whole process.",
            "",
            "| | |",
            "|---|---|",
            "| Server caps on request bytes still arriving | \(Self.mebibytes(attack.capPerConnection)) MiB per connection, "
                + "\(Self.mebibytes(attack.capTotal)) MiB in total |",
            "| CALL frames sent | \(attack.framesSent.formatted()) (not sent within 2 s: \(attack.framesUnsent)) |",
            "| Answered with END | \(attack.answers.ends.formatted())\(statuses.isEmpty ? "" : ": " + statuses.joined(separator: ", ")) |",
            "| Left pending (held, or dropped with a closed connection) | \(attack.pending.formatted()) "
                + "(\(Self.mebibytes(attack.pending * attack.fragmentBytes)) MiB of fragments) |",
            "| CONN_ERROR frames received | \(attack.answers.connectionErrors) |",
            "| Attack connections still open | \(attack.connectionsOpen) of \(attack.connections) |",
            "| RSS before / peak / after closing them (+1 s) | \(Self.mebibytes(attack.residentBefore)) / "
                + "\(Self.mebibytes(attack.residentPeak)) / \(Self.mebibytes(attack.residentAfter)) MiB |",
            "| A client's first echo call, before the attack | \(attack.echoBefore) (connecting included) |",
            "| Its echo call during the attack, same connection | \(attack.echoDuring) |",
            "| Stopped cleanly | \(attack.stoppedCleanly ? "yes" : "no") |",
        ]
    }

    private var silentSection: [String] {
        let silent = self.silent
        return [
            "## Silent connections",
            "",
            "\(silent.count.formatted()) plaintext connections that send nothing, opened one after another (all from this "
                + "process's uid). Descriptors count both ends of every connection (one process).",
            "",
            "| | |",
            "|---|---|",
            "| Server bounds on connections in their handshake | \(silent.unauthenticatedLimit) per listener, "
                + "\(silent.unauthenticatedLimitPerUID) per uid |",
            "| Opened | \((silent.count - silent.failedToOpen).formatted()) (failed: \(silent.failedToOpen)) |",
            "| Still open 1 s after the last was opened | \(silent.openAfterOneSecond.formatted()) |",
            "| Open descriptors before / all opened / 1 s later / closed (+1 s) | \(silent.descriptorsBefore) / "
                + "\(silent.descriptorsOpened) / \(silent.descriptorsAfterOneSecond) / \(silent.descriptorsAfter) |",
            "| A new client's first echo call, all opened | \(silent.echo) (connecting included) |",
            "| Stopped cleanly | \(silent.stoppedCleanly ? "yes" : "no") |",
        ]
    }

    /// "0", or the total with the count of each status.
    private static func failures(_ counts: CallTally.Counts) -> String {
        guard counts.failedTotal > 0 else { return "0" }
        let byCode = counts.failed.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.formatted())" }
        return "\(counts.failedTotal.formatted()) (\(byCode.joined(separator: ", ")))"
    }

    /// Bytes in MiB with one decimal; "–" for 0 (not readable).
    private static func mebibytes(_ bytes: Int) -> String {
        bytes == 0 ? "–" : String(format: "%.1f", Double(bytes) / 1_048_576)
    }
}
