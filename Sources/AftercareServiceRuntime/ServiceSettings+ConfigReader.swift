import AftercareCrashPoints
import AftercareRPC
import Foundation
package import AftercareServiceKit
package import Configuration
import Logging

extension ServiceSettings {
    /// Reads and checks the settings of service `name` from `config`.
    package init(name: String, config: ConfigReader) throws(ServiceSettingsError) {
        self.name = name
        let socket = Self.nonEmpty(config.string(forKey: "listen.socket"))
        let tcp = Self.nonEmpty(config.string(forKey: "listen.tcp"))
        self.listen = Listen(socket: socket)
        guard socket != nil || tcp != nil else {
            throw ServiceSettingsError(key: "listen.socket", problem: "give listen.socket or listen.tcp (or both)")
        }
        if let socket, socket.utf8.count > 107 {
            throw ServiceSettingsError(key: "listen.socket", problem: "\(socket.utf8.count) bytes; Linux allows 107")
        }
        if let tcp {
            let address = try HostPort(parsing: tcp, key: "listen.tcp")
            self.listen.tcpHost = address.host
            self.listen.tcpPort = address.port
        }

        let certificate = Self.nonEmpty(config.string(forKey: "tls.cert"))
        let key = Self.nonEmpty(config.string(forKey: "tls.key"))
        let ca = Self.nonEmpty(config.string(forKey: "tls.ca"))
        switch (certificate, key) {
        case (let certificate?, let key?):
            self.tls = TLS(certificateFile: certificate, keyFile: key, caFile: ca)
        case (nil, nil):
            guard ca == nil else { throw ServiceSettingsError(key: "tls.ca", problem: "needs tls.cert and tls.key") }
            self.tls = nil
        case (nil, _):
            throw ServiceSettingsError(key: "tls.cert", problem: "required with tls.key")
        case (_, nil):
            throw ServiceSettingsError(key: "tls.key", problem: "required with tls.cert")
        }

        self.databaseURL = try PostgresLocation(config: config)
        guard let path = Self.nonEmpty(config.string(forKey: "database.path")) else {
            throw ServiceSettingsError(key: "database.path", problem: "required (the service's SQLite file)")
        }
        self.databasePath = path
        self.databaseShared = try config.switchSetting("database.shared", default: false)

        if let level = config.string(forKey: "log.level") {
            guard let parsed = Logger.Level(rawValue: level) else {
                throw ServiceSettingsError(key: "log.level", problem: "one of trace, debug, info, notice, warning, error, critical; got \(level)")
            }
            self.logLevel = parsed
        }
        if let format = config.string(forKey: "log.format") {
            guard let parsed = LogFormat(rawValue: format) else {
                throw ServiceSettingsError(key: "log.format", problem: "one of text, json; got \(format)")
            }
            self.logFormat = parsed
        }
        if let metrics = Self.nonEmpty(config.string(forKey: "metrics.listen")) {
            self.metricsListen = try HostPort(parsing: metrics, key: "metrics.listen")
        }
        if let endpoint = Self.nonEmpty(config.string(forKey: "tracing.otlp.endpoint")) {
            self.tracingEndpoint = try Self.otlpEndpoint(endpoint, key: "tracing.otlp.endpoint")
        }
        self.tracingBatchDelayMs = try config.wholeSetting("tracing.batchDelayMs", default: 5_000, minimum: 1)
        if let ratio = config.string(forKey: "tracing.sampleRatio") {
            guard let parsed = Double(ratio), parsed > 0, parsed <= 1 else {
                throw ServiceSettingsError(key: "tracing.sampleRatio", problem: "must be a number above 0 and at most 1, got \(ratio.prefix(40))")
            }
            self.tracingSampleRatio = parsed
        }
        self.testMode = try config.switchSetting("testMode", default: false)
        if let crashAt = Self.nonEmpty(config.string(forKey: "crashAt")) {
            guard self.testMode else {
                throw ServiceSettingsError(key: "crashAt", problem: "crash points are for test mode only (testMode: true)")
            }
            do throws(CrashSpecError) {
                self.crashAt = try CrashSpec(parsing: crashAt)
            } catch {
                throw ServiceSettingsError(key: "crashAt", problem: error.description)
            }
        }
        self.spans.maxAgeHours = try config.wholeSetting("spans.maxAgeHours", default: 168, minimum: 1)
        self.spans.maxCount = try config.wholeSetting("spans.maxCount", default: 200_000, minimum: 1)
        self.drainSeconds = try config.wholeSetting("drainSeconds", default: 10, minimum: 1)

        self.access.callers = try config.listSetting("access.callers")
        for principal in self.access.callers ?? [] {
            if let problem = PeerIdentity.problem(principal: principal) { throw ServiceSettingsError(key: "access.callers", problem: problem) }
        }
        for rule in try Self.methodRules(config.listSetting("access.methods") ?? []) {
            guard let equals = rule.firstIndex(of: "="), rule[..<equals].contains("/") else {
                throw ServiceSettingsError(key: "access.methods", problem: "each entry is <method>=<principal>[,<principal>], got \(rule)")
            }
            let principals = rule[rule.index(after: equals)...].split(separator: ",").map(String.init)
            for principal in principals {
                if let problem = PeerIdentity.problem(principal: principal) { throw ServiceSettingsError(key: "access.methods", problem: problem) }
            }
            self.access.methods[String(rule[..<equals]), default: []].formUnion(principals)
        }
        for uid in try config.listSetting("access.uids") ?? [] {
            guard let value = UInt32(uid) else { throw ServiceSettingsError(key: "access.uids", problem: "not a uid: \(uid)") }
            self.access.uids.append(value)
        }
    }

    /// `access.methods` entries whole again: flags and the environment split every value at its
    /// commas, so `M=name:a,name:b` arrives as `M=name:a` and `name:b`.
    private static func methodRules(_ fragments: [String]) -> [String] {
        var rules: [String] = []
        for fragment in fragments {
            if !fragment.contains("="), let last = rules.popLast() {
                rules.append("\(last),\(fragment)")
            } else {
                rules.append(fragment)
            }
        }
        return rules
    }

    /// `text` as an OTLP/HTTP base URL, `http://host:port` or `https://host:port` with an optional
    /// path, answered without a trailing slash; anything else stops naming `key`.
    private static func otlpEndpoint(_ text: String, key: String) throws(ServiceSettingsError) -> String {
        guard let url = URLComponents(string: text), url.scheme == "http" || url.scheme == "https", let host = url.host, !host.isEmpty,
            url.query == nil, url.fragment == nil, url.user == nil
        else {
            throw ServiceSettingsError(key: key, problem: "must be an http:// or https:// URL of the collector, like http://127.0.0.1:4318; got \(text)")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
