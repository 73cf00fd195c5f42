import Foundation
import Synchronization

/// Certificates made once per test process and shared by every test: the default names plus
/// `echo`, `python-interop` and `intruder`; and a second, unrelated CA with its own `gateway`.
public enum SharedCertificates {
    private static let made = Mutex<Result<(DevelopmentCertificates, DevelopmentCertificates), any Error>?>(nil)

    /// The certificates of the deployment's CA.
    public static func get() throws -> DevelopmentCertificates {
        try self.both().0
    }

    /// Certificates from another CA, which no server of the tests trusts.
    public static func otherCA() throws -> DevelopmentCertificates {
        try self.both().1
    }

    private static func both() throws -> (DevelopmentCertificates, DevelopmentCertificates) {
        try self.made.withLock { made in
            if let made { return try made.get() }
            let result = Result {
                let directory = try TemporaryDirectory()
                return (
                    try DevelopmentCertificates.make(in: directory.appending("ca"), names: ["echo", "python-interop", "intruder"]),
                    try DevelopmentCertificates.make(in: directory.appending("other-ca"), names: ["echo"])
                )
            }
            made = result
            return try result.get()
        }
    }
}
