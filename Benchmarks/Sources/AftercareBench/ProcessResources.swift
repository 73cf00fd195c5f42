import Foundation

/// What this process holds, read from Linux's `/proc/self` (0 where it cannot be read).
enum ProcessResources {
    /// Resident memory: `VmRSS` of `/proc/self/status`, in bytes.
    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kibibytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return 0 }
        return kibibytes * 1_024
    }

    /// Open file descriptors: the entries of `/proc/self/fd`.
    static func openDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }
}
