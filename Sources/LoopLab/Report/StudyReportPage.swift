import Foundation
import LoopPlot
import LoopStore
import LoopSupport

/// A study report as ONE self-contained HTML file: inline SVG charts and CSS, a few lines of
/// JavaScript to sort the trial table, nothing fetched from a network; it opens from a
/// `file://` URL and can be mailed.
enum StudyReportPage {
    /// How much a page shows: the mailed report shows everything; the dashboard, refreshed while
    /// a study runs, shows the latest trials of a long table.
    struct Options {
        /// Rows of the trial table (the latest); nil: every trial.
        var tableLimit: Int?
        /// Trials drawn per chart (a sample beyond it; the timeline the latest); nil: the report's
        /// own limits (every trial in the history, distribution and timeline).
        var chartLimit: Int?
        static let full = Options(tableLimit: nil, chartLimit: nil)
    }

    static func html(_ data: StudyReportData, storePath: String, generated: Date = Date()) -> String {
        var page = Page(title: "Study \(data.study.name) — Looplab report")
        page.raw(body(data, storePath: storePath, generated: generated))
        return page.finish()
    }

    /// The report's content without the page around it (the dashboard puts its own around it).
    static func body(_ data: StudyReportData, storePath: String, generated: Date = Date(), options: Options = .full) -> String {
        let study = data.study
        var page = Page.Body()
        let counts = data.counts.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", ")
        page.raw("<header><h1>Study \(esc(study.name))</h1><p class=\"sub\">\(study.goalDirection.rawValue) <b>\(esc(data.metric))</b> · strategy \(esc(study.strategy)) · \(data.trials.count) trials (\(esc(counts.isEmpty ? "none yet" : counts)))"
            + (study.stopReason.map { " · stopped by <b>\(esc($0))</b>" } ?? "") + "</p>")
        if let best = data.best {
            page.raw("<p class=\"best\">Best: <b>\(esc(data.metric)) \(esc(NumberFormat.short(best.value!)))</b> in trial \(best.number) with \(esc(StudyExport.describe(best.params)))</p>")
        }
        page.raw("<nav>" + ["history", "importance", "parallel", "slices", "contour", "intermediate", "timeline", "distribution", "trials", "settings", "notes"]
            .map { "<a href=\"#\($0)\">\($0)</a>" }.joined(separator: " · ") + "</nav></header>\n")

        let limit = options.chartLimit ?? StudyReportCharts.sampleLimit
        page.section("history", "Optimisation history", SVGRenderer.render(StudyReportCharts.history(data, limit: options.chartLimit), size: .init(width: 760, height: 360))
                     + sampled(data.complete.count, limit: options.chartLimit))
        page.section("importance", "Parameter importance",
                     data.importances.isEmpty ? "<p class=\"empty\">Needs at least two complete trials.</p>"
                         : SVGRenderer.render(StudyReportCharts.importance(data), size: .init(width: 760, height: 0))
                         + "<p class=\"note\">fANOVA on a random forest (64 trees), as Optuna's default evaluator: the share of the variance of the results each parameter explains on its own.</p>")
        page.section("parallel", "Parallel coordinates", StudyReportCharts.parallel(data, limit: limit).map { SVGRenderer.render($0) + sampled(data.complete.count, limit: limit) }
            ?? "<p class=\"empty\">No complete trial yet.</p>")
        page.section("slices", "Slices", "<div class=\"grid\">" + StudyReportCharts.slices(data, limit: limit).map { SVGRenderer.render($0, size: .init(width: 370, height: 280)) }.joined() + "</div>" + sampled(data.complete.count, limit: limit))
        page.section("contour", "Contour of the two most important parameters",
                     StudyReportCharts.contour(data, limit: limit).map { SVGRenderer.render($0) } ?? "<p class=\"empty\">Needs two numeric parameters with importances.</p>")
        page.section("intermediate", "Intermediate values", StudyReportCharts.intermediate(data, limit: limit).map { SVGRenderer.render($0, size: .init(width: 760, height: 320)) }
            ?? "<p class=\"empty\">No trial reported intermediate values (report(t, step, value), or train(..., trial: t)).</p>")
        page.section("timeline", "Timeline", StudyReportCharts.timeline(data, limit: options.chartLimit).map { SVGRenderer.render($0) } ?? "<p class=\"empty\">No trials.</p>")
        page.section("distribution", "Empirical distribution", SVGRenderer.render(StudyReportCharts.distribution(data, limit: options.chartLimit), size: .init(width: 760, height: 300)))
        page.section("trials", "Trials", trialTable(data, limit: options.tableLimit))
        page.section("settings", "Stop reason and guardrails", settings(data))
        page.section("notes", "Notes and final evaluations", notes(data))
        page.raw("<footer>Written by Looplab \(LoopLab.version) from \(esc(storePath)) at \(esc(ISO8601DateFormatter().string(from: generated))).</footer>\n")
        return page.text
    }

    private static func sampled(_ count: Int, limit: Int?) -> String {
        guard let limit, count > limit else { return "" }
        return "<p class=\"note\">\(limit) of \(count) trials drawn (a seeded sample).</p>"
    }

    /// Every trial, sortable by any column (click its header).
    static func trialTable(_ data: StudyReportData, limit: Int? = nil) -> String {
        let params = data.space?.parameters.map(\.name) ?? Array(Set(data.trials.flatMap(\.params.keys))).sorted()
        var out = ""
        var shown = data.trials[...]
        if let limit, data.trials.count > limit {
            shown = data.trials.suffix(limit)
            out += "<p class=\"note\">The latest \(limit) of \(data.trials.count) trials; `looplab report \(esc(data.study.name))` writes them all.</p>"
        }
        out += "<table class=\"sortable\"><thead><tr><th>trial</th><th>status</th><th>\(esc(data.metric))</th>"
        out += params.map { "<th>\(esc($0))</th>" }.joined() + "<th>duration</th><th>error</th></tr></thead><tbody>\n"
        for t in shown {
            let duration = t.finishedAt.map { NumberFormat.seconds($0.timeIntervalSince(t.startedAt)) } ?? ""
            out += "<tr class=\"\(t.state.rawValue)\"><td>\(t.number)</td><td>\(t.state.rawValue)</td><td>\(t.value.map { esc(NumberFormat.short($0)) } ?? "")</td>"
            for p in params { out += "<td>\(t.params[p].map { esc(cellText($0)) } ?? "")</td>" }
            out += "<td>\(esc(duration))</td><td>\(esc(t.error ?? ""))</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    private static func cellText(_ v: JSONValue) -> String {
        switch v {
        case .number(let d): return NumberFormat.short(d)
        case .string(let s): return s
        default: return StudyExport.describe(["v": v]).dropFirst(2).description
        }
    }

    private static func settings(_ data: StudyReportData) -> String {
        var out = "<p>Stop reason: <b>\(esc(data.study.stopReason ?? "none (the study may go on)"))</b></p><dl>"
        if case .object(let settings) = data.study.settings {
            for key in settings.keys.sorted() {
                out += "<dt>\(esc(key))</dt><dd>\(esc(settingText(settings[key]!)))</dd>"
            }
        }
        return out + "</dl>"
    }

    private static func settingText(_ v: JSONValue) -> String {
        switch v {
        case .null: return "none"
        case .int(let i): return String(i)
        case .number(let d): return NumberFormat.short(d)
        case .bool(let b): return b ? "true" : "false"
        case .string(let s): return s
        default: return "\(v)"
        }
    }

    private static func notes(_ data: StudyReportData) -> String {
        guard !data.notes.isEmpty else { return "<p class=\"empty\">Nothing remembered for this study (remember(\"finding\") while it is open).</p>" }
        let stamp = ISO8601DateFormatter()
        return "<ul class=\"notes\">" + data.notes.map { n in
            let text = n.key.map { "\($0) = \(n.value.map { settingText($0) } ?? "")" } ?? n.text
            let finalEval = n.tags.contains("final_eval") ? " final-eval" : ""
            return "<li class=\"note\(finalEval)\"><span class=\"when\">\(esc(stamp.string(from: n.createdAt)))</span> \(esc(text))"
                + (n.tags.isEmpty ? "" : " <span class=\"tags\">[\(esc(n.tags.joined(separator: ", ")))]</span>") + "</li>"
        }.joined() + "</ul>"
    }

    static func esc(_ text: String) -> String { Markup.escape(text) }
}

/// A page being written: sections of inline SVG and HTML between a fixed head and tail.
struct Page {
    private var out: String

    init(title: String, extraHead: String = "") {
        out = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Markup.escape(title))</title>
            <style>\(Page.css)</style>\(extraHead)</head><body>

            """
    }

    mutating func raw(_ html: String) { out += html }

    func finish(script: String = "") -> String { out + "<script>\(Page.sortScript)\(script)</script></body></html>\n" }

    /// A page's content, built section by section.
    struct Body {
        private(set) var text = ""
        mutating func raw(_ html: String) { text += html }
        mutating func section(_ id: String, _ title: String, _ body: String) {
            text += "<section id=\"\(id)\"><h2>\(Markup.escape(title))</h2>\n\(body)</section>\n"
        }
    }

    static let css = """
        body{font:14px/1.45 system-ui,sans-serif;color:#222;max-width:1100px;margin:0 auto;padding:0 16px 40px}
        h1{margin:18px 0 4px}h2{margin:26px 0 8px;font-size:17px;border-bottom:1px solid #ddd;padding-bottom:4px}
        .sub,.note,footer{color:#555}.best{background:#f2f7ec;padding:6px 10px;border-radius:4px}.empty{color:#888;font-style:italic}
        nav a{color:#36c;text-decoration:none}svg{max-width:100%;height:auto}.grid{display:flex;flex-wrap:wrap;gap:8px}
        table{border-collapse:collapse;font-size:12px;width:100%}th,td{border-bottom:1px solid #eee;padding:3px 6px;text-align:left}
        th{cursor:pointer;background:#f6f6f6;position:sticky;top:0}tr.failed td,tr.diverged td{color:#b22}tr.pruned td{color:#74a}
        dl{display:grid;grid-template-columns:max-content auto;gap:2px 14px}dt{color:#555}ul.notes{padding-left:18px}
        .final-eval{font-weight:600}.when,.tags{color:#888;font-size:12px}footer{margin-top:30px;font-size:12px}
        """

    /// Sorting by a column: numbers as numbers, the rest as text; a second click reverses. A page
    /// that replaces its tables calls `looplabSortable()` again.
    static let sortScript = """
        function looplabSortable(){document.querySelectorAll("table.sortable th").forEach(function(th){if(th.dataset.bound)return;th.dataset.bound="1";th.addEventListener("click",function(){
        var body=th.closest("table").tBodies[0],rows=Array.from(body.rows),asc=th.dataset.asc!=="1";th.dataset.asc=asc?"1":"0";
        var k=th.cellIndex;rows.sort(function(a,b){var x=a.cells[k].textContent,y=b.cells[k].textContent,p=parseFloat(x),q=parseFloat(y);
        var c=(!isNaN(p)&&!isNaN(q))?p-q:x.localeCompare(y);return asc?c:-c;});rows.forEach(function(r){body.appendChild(r);});});});}
        looplabSortable();
        """
}
