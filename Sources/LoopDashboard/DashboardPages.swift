import Foundation
import LoopLab
import LoopPlot
import LoopStore
import LoopSupport

/// The dashboard's pages, as HTML strings (the server only routes to them): the studies, one
/// study (its report, refreshed while it runs), the model registry, notes and skills. Reads
/// only; every page links to the others.
enum DashboardPages {
    static func layout(title: String, body: String, script: String = "") -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Markup.escape(title)) — Looplab dashboard</title>
        <style>\(StudyReport.css)
        .top{background:#1d2430;color:#eee;margin:0 -16px 10px;padding:8px 16px}.top a{color:#9cf;margin-right:14px;text-decoration:none}
        .live{float:right;color:#8c8;font-size:12px}</style></head><body>
        <div class="top"><b>Looplab</b> &nbsp; <a href="/">studies</a><a href="/models">models</a><a href="/notes">notes</a><a href="/skills">skills</a><span class="live" id="live"></span></div>
        <div id="content">\(body)</div>
        <script>\(StudyReport.script)\(script)</script></body></html>

        """
    }

    /// Polls `versionURL` and, when what it answers changes, replaces the content with
    /// `contentURL`'s: the page follows a running study without reloading.
    static func liveScript(versionURL: String, contentURL: String) -> String {
        """

        (function(){var version=null,busy=false,live=document.getElementById("live");
        function tick(){if(busy)return;busy=true;fetch("\(versionURL)",{cache:"no-store"}).then(function(r){return r.text();}).then(function(v){
        if(version!==null&&v!==version){return fetch("\(contentURL)",{cache:"no-store"}).then(function(r){return r.text();}).then(function(html){
        document.getElementById("content").innerHTML=html;looplabSortable();version=v;live.textContent="updated "+new Date().toLocaleTimeString();});}
        version=v;live.textContent="live";}).catch(function(){live.textContent="offline";}).then(function(){busy=false;});}
        tick();setInterval(tick,1000);})();
        """
    }

    static func studiesBody(_ store: Store) throws -> String {
        let studies = try store.studies()
        guard !studies.isEmpty else { return "<h1>Studies</h1><p class=\"empty\">No studies in \(Markup.escape(store.location)) yet.</p>" }
        var out = "<h1>Studies</h1><table class=\"sortable\"><thead><tr><th>study</th><th>goal</th><th>strategy</th><th>trials</th><th>complete</th><th>running</th><th>best</th><th>stop reason</th><th>updated</th></tr></thead><tbody>\n"
        let stamp = ISO8601DateFormatter()
        for s in studies {
            let trials = try store.trials(studyID: s.id)
            let best = try store.bestConfiguration(studyID: s.id)
            out += "<tr><td><a href=\"/study/\(percentEncoded(s.name))\">\(Markup.escape(s.name))</a></td><td>\(s.goalDirection.rawValue) \(Markup.escape(s.goalMetric ?? "-"))</td>"
                + "<td>\(Markup.escape(s.strategy))</td><td>\(trials.count)</td><td>\(trials.filter { $0.state == .complete }.count)</td>"
                + "<td>\(trials.filter { $0.state == .running }.count)</td><td>\(best.map { Markup.escape(NumberFormat.readable($0.mean)) } ?? "")</td>"
                + "<td>\(Markup.escape(s.stopReason ?? ""))</td><td>\(Markup.escape(stamp.string(from: s.updatedAt)))</td></tr>\n"
        }
        return out + "</tbody></table>"
    }

    static func modelsBody(_ store: Store) throws -> String {
        var out = "<h1>Model registry</h1>"
        let names = try store.modelNames()
        guard !names.isEmpty else { return out + "<p class=\"empty\">No models (promote(model, as: \"name\", ...) registers one).</p>" }
        out += "<table class=\"sortable\"><thead><tr><th>model</th><th>version</th><th>status</th><th>metrics</th><th>from</th><th>checkpoint</th></tr></thead><tbody>\n"
        for name in names {
            let champion = try store.champion(model: name)?.version
            for v in try store.versions(model: name) {
                var origin = ""
                if let id = v.trialID, let t = try store.trial(id: id), let s = try store.study(id: t.studyID) { origin = "\(s.name) trial \(t.number)" }
                let metrics = v.metrics.keys.sorted().map { "\($0)=\(NumberFormat.readable(v.metrics[$0]!))" }.joined(separator: " ")
                out += "<tr><td>\(Markup.escape(name))</td><td>\(v.version)\(v.version == champion ? " (champion)" : "")</td><td>\(v.status.rawValue)</td>"
                    + "<td>\(Markup.escape(metrics))</td><td>\(Markup.escape(origin))</td><td>\(Markup.escape(v.artifactSHA256.map { String($0.prefix(12)) } ?? "-"))</td></tr>\n"
            }
        }
        return out + "</tbody></table>"
    }

    static func notesBody(_ store: Store, limit: Int) throws -> String {
        let notes = try store.notes(limit: limit)
        var out = "<h1>Notes</h1>"
        guard !notes.isEmpty else { return out + "<p class=\"empty\">Nothing remembered yet (remember(\"finding\"), remember(key: value)).</p>" }
        let stamp = ISO8601DateFormatter()
        out += "<ul class=\"notes\">"
        for n in notes {
            let text = n.key.map { "\($0) = \(n.value.map { "\($0)" } ?? "")" } ?? n.text
            out += "<li><span class=\"when\">\(Markup.escape(stamp.string(from: n.updatedAt)))</span> \(Markup.escape(text))"
                + (n.tags.isEmpty ? "" : " <span class=\"tags\">[\(Markup.escape(n.tags.joined(separator: ", ")))]</span>") + "</li>"
        }
        return out + "</ul>"
    }

    static func skillsBody(_ store: Store) throws -> String {
        let skills = try store.installedSkills()
        var out = "<h1>Installed skill packs</h1>"
        guard !skills.isEmpty else { return out + "<p class=\"empty\">No packs installed in this project (looplab skill install PACK).</p>" }
        out += "<table class=\"sortable\"><thead><tr><th>pack</th><th>version</th><th>sha256</th><th>source</th><th>installed</th></tr></thead><tbody>\n"
        let stamp = ISO8601DateFormatter()
        for s in skills {
            out += "<tr><td>\(Markup.escape(s.name))</td><td>\(Markup.escape(s.version))</td><td>\(Markup.escape(String(s.sha256.prefix(12))))</td>"
                + "<td>\(Markup.escape(s.source))</td><td>\(Markup.escape(stamp.string(from: s.installedAt)))</td></tr>\n"
        }
        return out + "</tbody></table>"
    }


    static func percentEncoded(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? name
    }
}
