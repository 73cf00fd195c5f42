/// Paths in this repository, found from this file's location.
package enum RepositoryPaths {
    /// The repository root.
    package static let root: String = {
        var components = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        components.removeLast(3)  // Sources/AftercareTesting/RepositoryPaths.swift
        return components.joined(separator: "/")
    }()

    /// The built executables' directory (the debug build `swift test` uses).
    package static var buildProducts: String { "\(root)/.build/debug" }
}
