import AftercareServiceRuntime
import AftercareTesting
import Foundation
import Testing

/// A mistake in a security setting stops the service with status 78 and a message naming the
/// setting (and the file, for TLS), before it listens: never a service that runs open, nor one
/// systemd restarts forever.
@Suite("Configuration that fails closed")
struct ConfigurationFailsClosedTests {
    /// Runs `aftercare-<service>` with a complete, valid configuration changed by `replacing`,
    /// `flags` (appended, so they win) and `file` (a YAML file under the flags), and answers its
    /// exit status and what it wrote to standard error; `nil` status once it listens.
    static func start(
        _ service: String = "orders", flags: [String] = [], file: String? = nil, replacing: [String: String] = [:], without: [String] = []
    ) async throws -> (status: Int32?, message: String) {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let certificates = try await SharedCertificates.get()
        var settings = [
            "--listen-socket": directory.appending("\(service).sock"), "--database-path": directory.appending("\(service).sqlite"),
            "--tls-cert": certificates.certificateFile(service), "--tls-key": certificates.keyFile(service), "--tls-ca": certificates.caFile,
            "--access-callers": "name:gateway.aftercare.internal",
        ]
        switch service {
        case "aftersales": settings["--aftersales-policy"] = "\(RepositoryPaths.root)/services/aftersales/policy.yaml"
        case "payments": settings["--payments-simulator-ledger-path"] = directory.appending("provider.sqlite")
        case "gateway": settings["--access-callers"] = nil
        default: break
        }
        settings.merge(replacing) { _, new in new }
        for flag in without { settings[flag] = nil }
        var arguments = settings.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }
        if let file {
            let path = directory.appending("orders.yaml")
            try file.write(toFile: path, atomically: true, encoding: .utf8)
            arguments += ["--config", path]
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "\(RepositoryPaths.buildProducts)/aftercare-\(service)")
        process.arguments = arguments + flags
        process.environment = [:]
        let errors = directory.appending("stderr")
        _ = FileManager.default.createFile(atPath: errors, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
        try process.run()
        // Listening means it passed every check.
        for _ in 0..<2_000 where process.isRunning && !FileManager.default.fileExists(atPath: settings["--listen-socket"]!) {
            try await Task.sleep(for: .milliseconds(10))
        }
        let running = process.isRunning
        if running { process.terminate() }
        process.waitUntilExit()
        return (running ? nil : process.terminationStatus, (try? String(contentsOfFile: errors, encoding: .utf8)) ?? "")
    }

    @Test(
        "wrong shapes, misspellings and malformed principals of access settings stop the service with 78 naming the key",
        arguments: [
            (nil, "access:\n  callers: name:gateway.aftercare.internal\n", "access.callers"),
            (nil, "acess:\n  callers:\n    - name:gateway.aftercare.internal\n", "acess.callers"),
            (nil, "access:\n  caller:\n    - name:gateway.aftercare.internal\n", "access.caller"),
            (nil, "access:\n  uids: 1000\n", "access.uids"),
            (["--acess-callers", "name:gateway.aftercare.internal"], nil, "--acess-callers"),
            (["--access-callers", "gateway.aftercare.internal"], nil, "access.callers"),
            (["--access-callers", "uid:root"], nil, "access.callers"),
            (["--access-methods", "aftercare.orders.v1.Orders/GetOrdr=name:cli.aftercare.internal"], nil, "access.methods"),
            (["--access-methods", "aftercare.orders.v1.Orders/GetOrder=cli"], nil, "access.methods"),
        ] as [([String]?, String?, String)])
    func accessMistakes(flags: [String]?, file: String?, key: String) async throws {
        let (status, message) = try await Self.start(flags: flags ?? [], file: file, without: file == nil ? [] : ["--access-callers"])
        #expect(status == 78, "\(message)")
        #expect(message.contains(key), "\(message)")
    }

    @Test("feedback, which calls aftersales with its own certificate, stops with 78 without a CA, or with an address of aftersales in neither form")
    func feedbackPeer() async throws {
        let withoutCA = try await Self.start("feedback", without: ["--tls-ca"])
        #expect(withoutCA.status == 78, "\(withoutCA.message)")
        #expect(withoutCA.message.contains("tls.ca"), "\(withoutCA.message)")
        let malformed = try await Self.start("feedback", flags: ["--feedback-peers-aftersales", "aftersales.sock"])
        #expect(malformed.status == 78, "\(malformed.message)")
        #expect(malformed.message.contains("feedback.peers.aftersales"), "\(malformed.message)")
    }

    @Test("a misspelt key anywhere in the file is named with the key it was probably meant to be")
    func misspeltKeyHint() async throws {
        let (status, message) = try await Self.start(file: "spans:\n  maxAgeHour: 24\n")
        #expect(status == 78)
        #expect(message.contains("spans.maxAgeHour") && message.contains("spans.maxAgeHours"), "\(message)")
    }

    @Test("a missing, garbage or mismatched TLS file stops the service with 78 naming the setting and the file")
    func tlsFiles() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let certificates = try await SharedCertificates.get()
        let garbage = directory.appending("garbage.pem")
        try "not a certificate\n".write(toFile: garbage, atomically: true, encoding: .utf8)
        let missing = directory.appending("missing.pem")
        let cases: [(String, String, String)] = [
            ("--tls-cert", missing, "tls.cert"), ("--tls-cert", garbage, "tls.cert"),
            ("--tls-key", missing, "tls.key"), ("--tls-key", garbage, "tls.key"),
            // Another service's key does not belong to orders' certificate.
            ("--tls-key", certificates.keyFile("payments"), "tls.key"),
            ("--tls-ca", missing, "tls.ca"), ("--tls-ca", garbage, "tls.ca"),
        ]
        for (flag, file, key) in cases {
            let (status, message) = try await Self.start(replacing: [flag: file])
            #expect(status == 78, "\(flag) \(file): \(message)")
            #expect(message.contains(key) && message.contains(file), "\(flag) \(file): \(message)")
        }
    }

    @Test("the shipped configuration files hold only settings the services read")
    func shippedFiles() async throws {
        for service in ["orders", "payments", "logistics", "aftersales", "feedback", "gateway"] {
            let (status, message) = try await Self.start(service, flags: ["--config", "\(RepositoryPaths.root)/services/\(service)/\(service).yaml"])
            #expect(status == nil, "\(service): \(message)")
        }
    }
}

/// What a service writes is for its user and group: it sets umask 0007 itself, whatever it inherited.
@Suite("File modes")
struct FileModeTests {
    @Test("the database, its WAL and its lock file are not world-readable, whatever umask the test process has")
    func notWorldReadable() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let orders = try await ServiceProcess.start("orders", in: directory)
        for file in [orders.databasePath, orders.databasePath + "-wal", orders.databasePath + ".lock"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            let mode = (attributes[.posixPermissions] as? NSNumber)?.uint16Value ?? 0o777
            #expect(mode & 0o007 == 0, "\(file): \(String(mode, radix: 8))")
        }
        #expect(try await orders.stop() == 0)
    }
}
