import AftercareServiceKit
import Foundation

/// One process per database: an exclusive `flock` on `<database.path>.lock` (symbolic links
/// resolved: two paths to one file share the lock), taken at start and
/// held for the process's life, with the holder's pid written in the file. A second process on
/// the same database stops at start, naming the holder's pid.
///
/// Instances that share their database (`database.shared`) take a shared `flock` instead: they
/// start beside each other, but not beside a process that holds the database alone, nor it beside
/// them. (They write no pid: there are several.)
///
/// A file beside the database, not the database itself: SQLite keeps POSIX locks on the database
/// file, which a process loses when it closes any descriptor of that file, so no other code should
/// open it. The kernel releases a `flock` when its process dies, so a lock file left by a killed
/// process does not stop a restart; the file itself is never removed (removing it would let two
/// processes lock two different files).
final class DatabaseLock: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Takes the lock of the database at `databasePath`: exclusive, or shared with the other
    /// instances when `shared`.
    /// - Throws: a ``ServiceSettingsError`` on `database.path` when another process holds it (or,
    ///   shared, a process holds it alone) or the lock file cannot be opened or written.
    static func acquire(databasePath: String, shared: Bool = false) throws -> DatabaseLock {
        let lockPath = Self.resolved(databasePath) + ".lock"
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw Self.failure(databasePath, "cannot open its lock file \(lockPath): \(Self.errorText(errno))")
        }
        guard flock(descriptor, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) == 0 else {
            let error = errno
            close(descriptor)
            guard error == EWOULDBLOCK else {
                throw Self.failure(databasePath, "cannot lock \(lockPath): \(Self.errorText(error))")
            }
            let holder = (try? String(contentsOfFile: lockPath, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !shared else {
                throw Self.failure(
                    databasePath,
                    "is held alone by another process (pid \(holder.flatMap { $0.isEmpty ? nil : $0 } ?? "unknown"), holding \(lockPath)); "
                        + "instances share a database only when each sets database.shared")
            }
            throw Self.failure(
                databasePath,
                "is in use by another process (pid \(holder.flatMap { $0.isEmpty ? nil : $0 } ?? "unknown"), holding \(lockPath)); "
                    + "one process serves a database, unless every instance sets database.shared")
        }
        guard !shared else { return DatabaseLock(descriptor: descriptor) }
        let pid = Array("\(getpid())\n".utf8)
        guard ftruncate(descriptor, 0) == 0, pwrite(descriptor, pid, pid.count, 0) == pid.count else {
            let error = errno
            close(descriptor)
            throw Self.failure(databasePath, "cannot write its pid to its lock file \(lockPath): \(Self.errorText(error))")
        }
        return DatabaseLock(descriptor: descriptor)
    }

    /// `path` with its symbolic links resolved, so that two paths to one database file share one
    /// lock: the file's own real path if it exists, else its directory's with its name.
    private static func resolved(_ path: String) -> String {
        if let real = realpath(path, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        let url = URL(fileURLWithPath: path)
        guard let directory = realpath(url.deletingLastPathComponent().path, nil) else { return path }
        defer { free(directory) }
        return String(cString: directory) + "/" + url.lastPathComponent
    }

    /// Releases the lock (at the end of a graceful shutdown; otherwise the process's death does).
    func release() {
        close(self.descriptor)
    }

    private static func failure(_ databasePath: String, _ problem: String) -> ServiceSettingsError {
        ServiceSettingsError(key: "database.path", problem: "\(databasePath): \(problem)")
    }

    private static func errorText(_ code: Int32) -> String {
        "\(String(cString: strerror(code))) (errno \(code))"
    }
}
