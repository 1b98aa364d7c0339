import Foundation
import LoopStore

/// A fresh directory under the system temp dir, removed when the test is done with it.
final class TemporaryDirectory {
    let url: URL

    init(_ label: String = "store") {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("looplab-\(label)-\(UUID().uuidString)", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// The default store database path inside this directory (`.looplab/looplab.db`).
    var databasePath: String { Store.defaultPath(projectDirectory: url).path }
}
