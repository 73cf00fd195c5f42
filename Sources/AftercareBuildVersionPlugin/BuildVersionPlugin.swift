import Foundation
import PackagePlugin

/// Writes `BuildVersion.swift` before every build: `BuildInfo.version`, the release in
/// `BuildInfo.release` followed by `git describe` of the checkout (`0.1.0+87df784`, `-dirty` for
/// uncommitted changes), or `+unknown` outside a git checkout. The file is rewritten only when the
/// version changed, so an unchanged checkout rebuilds nothing.
@main
struct BuildVersionPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "BuildVersion.swift")
        let script = """
            describe=$(git -C "$1" describe --tags --always --dirty 2>/dev/null || echo unknown)
            text="extension BuildInfo { package static let version = release + \\"+$describe\\" }"
            [ -f "$2" ] && [ "$(cat "$2")" = "$text" ] || printf '%s\\n' "$text" > "$2"
            """
        return [
            .prebuildCommand(
                displayName: "Build version from git describe",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", script, "sh", context.package.directoryURL.path, output.path],
                outputFilesDirectory: context.pluginWorkDirectoryURL)
        ]
    }
}
