import Dispatch
import Foundation

/// While it is installed, SIGINT or SIGTERM runs a cleanup and ends the bench (status 128 + the
/// signal): the services and a PostgreSQL server started by `pg_ctl` (in a session of its own, so
/// a terminal's ^C does not reach it) would otherwise outlive the bench.
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

    /// Gives the signals back their default action.
    func remove() {
        for source in self.sources { source.cancel() }
        for number in Self.signals { signal(number, SIG_DFL) }
    }
}
