import Foundation
import LoopLang
import LoopStore

/// `report(st, "file.html")`: the study report (`StudyReportPage`) written to a file.
enum ReportPrimitives {
    private enum P {
        static let subject = Param.value("subject", doc: "a running Trial (report(t, step, value)), or a Study or its name (report(st, \"file.html\"))")
        static let step = Param.optional("step", doc: "a Trial's step (an Int); for a study, the file to write")
        static let value = Param.optional("value", doc: "a Trial's intermediate value at that step (a number)")
        static let path = Param.optional("path", doc: "the HTML file to write, by name")
    }

    static func register(into registry: Registry, context: ResearchContext) {
        registry.function(
            "report", NativeParameters.list(P.subject, P.step, P.value, P.path),
            doc: "report(t, step, value) records an intermediate value of a running trial (for pruning); report(st, \"file.html\") writes ONE self-contained HTML report of a study (a Study or its name): history, importances, parallel coordinates, slices, contour, intermediate values, timeline, distribution, the trial table, guardrails and notes, and returns the path."
        ) { call throws(LoopError) in
            let name: String
            switch try call[P.subject] {
            case .handle(let h) where h.object is TrialBox:
                try Capabilities.require(.store(primitive: "report"), call)
                return try TrialPrimitives.reportValue(h.object as! TrialBox, step: try call[P.step], value: try call[P.value], call)
            case .handle(let h) where h.object is StudyBox: name = (h.object as! StudyBox).name
            case .string(let s): name = s
            case let other: throw call.wrongType("subject", expected: "a Trial (report(t, step, value)) or a Study or its name (report(st, \"file.html\"))", got: other)
            }
            var pathValue = try call[P.path]
            if case .nil = pathValue { pathValue = try call[P.step] }
            guard case .string(let path) = pathValue else {
                throw researchError("report: give the file to write, e.g. report(st, \"\(name).html\")")
            }
            try Capabilities.require(.write(path: path), call)
            let html = try StudyReport.html(study: name, context: context, function: "report")
            do throws(POSIXFiles.Failure) { try POSIXFiles.writeText(path, html) } catch {
                throw FilePrimitives.ioError("report: cannot write '\(path)': \(error.reason)")
            }
            return .string(path)
        }
    }
}

/// The report of a named study in a store, for the primitive, the command line and the dashboard.
public enum StudyReport {
    /// The page, or nil when the store has no such study.
    public static func html(study name: String, store: Store) throws(StoreError) -> String? {
        guard let data = try StudyReportData.load(name, from: store) else { return nil }
        return StudyReportPage.html(data, storePath: store.location)
    }

    /// The report's content for a page of the dashboard: the latest `tableLimit` trials, and
    /// importances estimated on fewer trees and trials so a page is quick while a study runs.
    public static func dashboardBody(study name: String, store: Store, tableLimit: Int = 300) throws(StoreError) -> String? {
        guard let data = try StudyReportData.load(name, from: store, importanceTrees: 16, importanceLimit: 400) else { return nil }
        return StudyReportPage.body(data, storePath: store.location, options: .init(tableLimit: tableLimit, chartLimit: 500))
    }

    /// The CSS and the table-sorting script of report pages, for pages that embed a report body.
    public static let css = Page.css
    public static let script = Page.sortScript

    static func html(study name: String, context: ResearchContext, function: String) throws(LoopError) -> String {
        let page = try context.withStore { store throws(StoreError) -> Result<String, LoopError> in
            guard let page = try html(study: name, store: store) else {
                return .failure(researchError("\(function): " + store.missingStudyDescription(name)))
            }
            return .success(page)
        }
        return try page.get()
    }
}
