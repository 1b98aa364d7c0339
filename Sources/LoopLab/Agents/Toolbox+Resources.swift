import Foundation
import LoopStore
import LoopSupport

extension Toolbox {
    /// Something a client can read without calling a tool: each study's summary, and the docs.
    public struct Resource: Sendable {
        public let uri: String
        public let name: String
        public let summary: String
        public let mimeType: String
    }

    public static let studyScheme = "looplab://study/"
    public static let docsScheme = "looplab://docs/"

    /// The docs folder shipped beside the standard library (the repository's `docs/`).
    var docsDirectory: String? { stdlibDirectory.map { POSIXFiles.parent($0) + "/docs" } }

    public func resources() throws(Failure) -> [Resource] {
        lock.lock()
        defer { lock.unlock() }
        let studies = try withStore { store throws(StoreError) in try store.studies() }
        var out = studies.map { s in
            Resource(uri: Self.studyScheme + Self.escape(s.name), name: "study \(s.name)",
                     summary: "Summary of study \(s.name) (\(s.goalDirection.rawValue) \(s.goalMetric ?? "value")) as JSON", mimeType: "application/json")
        }
        if let docs = docsDirectory, let pages = try? POSIXFiles.listDirectory(docs) {
            for page in pages.sorted() where page.hasSuffix(".md") {
                let name = String(page.dropLast(3))
                out.append(Resource(uri: Self.docsScheme + name, name: "docs/\(page)", summary: "Looplab documentation: \(name)", mimeType: "text/markdown"))
            }
        }
        return out
    }

    public func readResource(_ uri: String) throws(Failure) -> (text: String, mimeType: String) {
        if uri.hasPrefix(Self.studyScheme) {
            let name = String(uri.dropFirst(Self.studyScheme.count)).removingPercentEncoding ?? ""
            lock.lock()
            defer { lock.unlock() }
            return (try summary(name).serialized(pretty: true), "application/json")
        }
        if uri.hasPrefix(Self.docsScheme) {
            let page = String(uri.dropFirst(Self.docsScheme.count))
            guard !page.isEmpty, page.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }), let docs = docsDirectory else {
                throw Failure("no documentation page '\(page)'")
            }
            do throws(POSIXFiles.Failure) { return (try POSIXFiles.readText(docs + "/" + page + ".md"), "text/markdown") } catch {
                throw Failure("no documentation page '\(page)' (\(error.reason))")
            }
        }
        throw Failure("unknown resource '\(uri)': resources are \(Self.studyScheme)NAME and \(Self.docsScheme)PAGE")
    }

    static func escape(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_."))) ?? name
    }
}
