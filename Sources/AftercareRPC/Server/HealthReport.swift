/// What a server's Health method answers: its name, build and uptime, and each named check run
/// now. The built-in Health method answers it; a process that reports on itself elsewhere (the
/// gateway's system health) builds the same answer.
public struct HealthReport: Sendable {
    public var service: String
    public var build: String
    public var started: ContinuousClock.Instant
    public var checks: [HealthCheck]

    public init(service: String, build: String, started: ContinuousClock.Instant, checks: [HealthCheck]) {
        self.service = service
        self.build = build
        self.started = started
        self.checks = checks
    }

    /// The answer now: SERVING when every check passes (NOT_SERVING otherwise), DRAINING while the
    /// server drains.
    public func response(draining: Bool = false) async -> Aftercare_Common_V1_HealthResponse {
        var response = Aftercare_Common_V1_HealthResponse()
        response.service = self.service
        response.build = self.build
        let uptime = ContinuousClock.now - self.started
        response.uptimeMs = UInt64(uptime.components.seconds * 1_000 + uptime.components.attoseconds / 1_000_000_000_000_000)
        var healthy = true
        for check in self.checks {
            var result = Aftercare_Common_V1_HealthCheck()
            result.name = check.name
            do {
                result.detail = try await check.check()
                result.ok = true
            } catch {
                result.detail = "\(error)"
                healthy = false
            }
            response.checks.append(result)
        }
        response.status = draining ? .draining : healthy ? .serving : .notServing
        return response
    }
}
