import Foundation
import Hummingbird
import Logging
import LoopLab
import LoopStore
import NIOCore

/// `looplab dashboard`: a local, read-only web app over a project store (127.0.0.1 only):
/// studies, each study's report following it while it runs, the model registry, notes and
/// skills. Bad requests get a 4xx with a message; nothing is ever written to the store.
public enum Dashboard {
    /// Serves until the process is stopped. `port` 0 picks a free one; `ready` is told the URL
    /// once the server listens. The server's own log (start, shutdown, connection errors) goes to
    /// standard error from `logLevel` up; `LOG_LEVEL` overrides it.
    public static func run(store: Store, port: Int, logLevel: Logger.Level = .warning,
                           ready: @escaping @Sendable (String) -> Void) async throws {
        let router = Router()
        router.get("/") { _, _ in try page("Studies", DashboardPages.studiesBody(store),
                                            script: DashboardPages.liveScript(versionURL: "/api/version", contentURL: "/fragment/studies")) }
        router.get("/fragment/studies") { _, _ in try html(DashboardPages.studiesBody(store)) }
        router.get("/models") { _, _ in try page("Models", DashboardPages.modelsBody(store)) }
        router.get("/notes") { request, _ in
            let limit = try integer(request, "limit", default: 200, range: 1...10_000)
            return try page("Notes", DashboardPages.notesBody(store, limit: limit))
        }
        router.get("/skills") { _, _ in try page("Skills", DashboardPages.skillsBody(store)) }
        let bodies = StudyBodies()
        router.get("/study/:name") { request, context in
            let name = try context.parameters.require("name")
            let limit = try integer(request, "rows", default: 300, range: 1...1_000_000)
            let body = try await bodies.body(name, rows: limit, store: store)
            let encoded = DashboardPages.percentEncoded(name)
            return page("Study \(name)", body, script: DashboardPages.liveScript(versionURL: "/api/study/\(encoded)/version",
                                                                              contentURL: "/fragment/study/\(encoded)?rows=\(limit)"))
        }
        router.get("/fragment/study/:name") { request, context in
            let name = try context.parameters.require("name")
            let limit = try integer(request, "rows", default: 300, range: 1...1_000_000)
            return html(try await bodies.body(name, rows: limit, store: store))
        }
        router.get("/api/version") { _, _ in try text(version(store, study: nil)) }
        router.get("/api/study/:name/version") { _, context in
            let name = try context.parameters.require("name")
            guard let study = try store.study(named: name) else { throw missingStudy(name, store) }
            return try text(version(store, study: study))
        }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "looplab-dashboard"),
            onServerRunning: { channel in ready("http://127.0.0.1:\(channel.localAddress?.port ?? port)") },
            logger: logger(logLevel)
        )
        try await app.runService()
    }

    private static func logger(_ level: Logger.Level) -> Logger {
        var logger = Logger(label: "looplab-dashboard")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? level
        return logger
    }

    /// What changes when a study (or, without one, any study) gets a new trial or result: the
    /// pages poll this and redraw only when it moves.
    static func version(_ store: Store, study: LoopStore.Study?) throws -> String {
        try store.changeStamp(studyID: study?.id)
    }

    private static func page(_ title: String, _ body: String, script: String = "") -> Response {
        html(DashboardPages.layout(title: title, body: body, script: script))
    }

    private static func html(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private static func text(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private static func integer(_ request: Request, _ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let raw = request.uri.queryParameters.get(name) else { return fallback }
        guard let n = Int(raw), range.contains(n) else {
            throw HTTPError(.badRequest, message: "\(name) must be a whole number in \(range.lowerBound)...\(range.upperBound), got '\(raw)'")
        }
        return n
    }

    /// The study pages drawn last, kept until the study changes (its change stamp moves): a
    /// browser polling a finished 10,000-trial study costs one small query per visit.
    actor StudyBodies {
        private var cache: [String: (stamp: String, rows: Int, body: String)] = [:]

        func body(_ name: String, rows: Int, store: Store) throws -> String {
            guard let study = try store.study(named: name) else { throw missingStudy(name, store) }
            let stamp = try store.changeStamp(studyID: study.id)
            if let hit = cache[name], hit.stamp == stamp, hit.rows == rows { return hit.body }
            guard let body = try StudyReport.dashboardBody(study: name, store: store, tableLimit: rows) else { throw missingStudy(name, store) }
            cache[name] = (stamp, rows, body)
            return body
        }
    }

    static func missingStudy(_ name: String, _ store: Store) -> HTTPError {
        HTTPError(.notFound, message: store.missingStudyDescription(name))
    }
}
