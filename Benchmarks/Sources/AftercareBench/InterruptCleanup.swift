import Dispatch
import Foundation

/// While it is installed, SIGINT or SIGTERM runs a cleanup and ends the bench (status 128 + the
/// signal): the services and the PostgreSQL server, children of the bench that a signal sent to
/// the bench alone does not reach, would otherwise outlive it (and the server its directory).
final class InterruptCleanup {
    private static let signals = [SIGINT, SIGTERM]
    private let sources: [any DispatchSourceSignal]

    init(_ cleanup: @escaping @Sendable () -> Void) {
        self.sources = Self.signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                FileHandle.standardError.write(Data("sagas: signal \(number), stopping the services and the database server\n".utf8))
                cleanup()
                exit(128 + number)
            }
            source.resume()
            return source
        }
    }

    /// SIGTERM to each of `pids`, then SIGKILL to those still running after 5 s (a service waiting
    /// for a peer or its database to answer may not end by itself).
    static func end(_ pids: [Int32]) {
        for pid in pids { kill(pid, SIGTERM) }
        let deadline = Date().addingTimeInterval(5)
        var running = pids
        while !running.isEmpty, Date() < deadline {
            usleep(50_000)
            running = running.filter(Self.isRunning)
        }
        for pid in running { kill(pid, SIGKILL) }
    }

    /// Whether `pid` exists and has not ended (an unreaped child that ended is a zombie, `Z`).
    private static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].dropFirst().first != "Z"
    }

    /// Gives the signals back their default action.
    func remove() {
        for source in self.sources { source.cancel() }
        for number in Self.signals { signal(number, SIG_DFL) }
    }
}
