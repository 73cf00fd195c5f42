import Foundation

/// CPU time of processes, from Linux's `/proc/<pid>/stat`.
enum ProcessCPU {
    private static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// utime + stime (fields 14 and 15) of `pid` ("self" for this process), in seconds.
    static func seconds(pid: String) throws -> Double {
        let fields = try Self.fields(pid: pid)
        return (fields.user + fields.system) / Self.ticksPerSecond
    }

    /// A server and its children (PostgreSQL's postmaster, its backends and background processes),
    /// in seconds: the parent's utime + stime + cutime + cstime (the last two hold the children it
    /// has reaped: backends that ended), and utime + stime of each living child but those in
    /// `excluding` (the bench's own connections).
    static func treeSeconds(parent: Int32, excluding: Set<Int32>) throws -> Double {
        let server = try Self.fields(pid: "\(parent)")
        var ticks = server.user + server.system + server.children
        for entry in try FileManager.default.contentsOfDirectory(atPath: "/proc") {
            guard let pid = Int32(entry), pid != parent, !excluding.contains(pid),
                let fields = try? Self.fields(pid: entry), fields.parent == parent
            else { continue }
            ticks += fields.user + fields.system
        }
        return ticks / Self.ticksPerSecond
    }

    /// The fields of `/proc/<pid>/stat` this file reads, in clock ticks.
    private static func fields(pid: String) throws -> (parent: Int32, user: Double, system: Double, children: Double) {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        guard let close = stat.lastIndex(of: ")") else { throw BenchmarkError("unreadable /proc/\(pid)/stat") }
        // After "(comm)": state, ppid, … utime is field 14 of the line, the 12th here.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 14, let parent = Int32(fields[1]), let user = Double(fields[11]), let system = Double(fields[12]),
            let childUser = Double(fields[13]), let childSystem = Double(fields[14])
        else {
            throw BenchmarkError("unreadable /proc/\(pid)/stat")
        }
        return (parent, user, system, childUser + childSystem)
    }
}
