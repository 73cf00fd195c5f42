import AftercareRPC

/// Who may call a service started for a test, as `scripts/services.sh` allows it for `make run`:
/// the domain services admit the gateway; in test mode the Operator methods (clock, faults, crash
/// points) also admit the CLI's certificate, which the tests and the demo use to drive them.
/// Aftersales' feed-following method also admits feedback, which follows it. The gateway's public
/// API admits by role; its other methods only the Operator ones, to the CLI.
package enum DevelopmentAccess {
    /// The access flags of service `name`.
    package static func arguments(for name: String) -> [String] {
        let gateway = "name:\(DevelopmentCertificates.dnsName("gateway"))"
        let cli = "name:\(DevelopmentCertificates.dnsName("cli"))"
        let operators = name == "gateway" ? cli : "\(gateway),\(cli)"
        let methods = [OperatorMethods.advanceClock.fullName, OperatorMethods.getClock.fullName, OperatorMethods.setFaults.fullName, OperatorMethods.armCrashPoint.fullName]
        var rules = methods.map { "\($0)=\(operators)" }
        if name == "aftersales" {
            rules.append("\(FeedMethods.followEvents.fullName)=\(gateway),name:\(DevelopmentCertificates.dnsName("feedback"))")
        }
        return (name == "gateway" ? [] : ["--access-callers", gateway]) + rules.flatMap { ["--access-methods", $0] }
    }
}
