import Foundation

/// A program run to its end, its standard output kept.
enum Subprocess {
    /// Runs `path` with `arguments` and waits for it; answers its standard output.
    /// - Throws: when it cannot start or ends with a status other than 0 (its standard error in
    ///   the message).
    @discardableResult
    static func run(_ path: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Standard output read to its end first: the programs run here (initdb, psql, pg_ctl,
        // pg_waldump) write a few lines at most to standard error, never a pipe's worth.
        let text = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchmarkError(
                "\((path as NSString).lastPathComponent) failed (\(process.terminationStatus)): \(String(decoding: message, as: UTF8.self))")
        }
        return String(decoding: text, as: UTF8.self)
    }
}
