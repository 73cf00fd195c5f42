/// What build a process is: reported in HELLO and in health, so that two builds can be told apart
/// during a rolling upgrade. `version` (`0.1.0+87df784`, `0.1.0+87df784-dirty`, or `0.1.0+unknown`
/// outside a git checkout) is written at build time by the `AftercareBuildVersionPlugin` from
/// `git describe`.
package enum BuildInfo {
    /// The release these sources are, before the build's own part.
    package static let release = "0.1.0"
}
