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

    /// Gives the signals back their default action.
    func remove() {
        for source in self.sources { source.cancel() }
        for number in Self.signals { signal(number, SIG_DFL) }
    }
}
