/// Certificates made once per test process and shared by every test: the default names plus
/// `echo`, `python-interop` and `intruder`; and a second, unrelated CA with its own certificates.
/// They live in `/tmp/ac-certs-<pid>`; a run removes the folders of runs whose process is gone.
package enum SharedCertificates {
    private static let made = Task {
        let directory = try TemporaryDirectory.perProcess("ac-certs")
        return (
            try await DevelopmentCertificates.make(in: directory.appending("ca"), names: ["echo", "python-interop", "intruder"]),
            try await DevelopmentCertificates.make(in: directory.appending("other-ca"), names: ["echo"])
        )
    }

    /// The certificates of the deployment's CA.
    package static func get() async throws -> DevelopmentCertificates {
        try await self.made.value.0
    }

    /// Certificates from another CA, which no server of the tests trusts.
    package static func otherCA() async throws -> DevelopmentCertificates {
        try await self.made.value.1
    }
}
