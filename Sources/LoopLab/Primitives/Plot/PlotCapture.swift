import LoopLang
import LoopPlot

/// The charts a program drew, as SVG, for hosts that keep them beside the text output: a
/// notebook run (`looplab run --write-back`) and the REPL's `:save`. Attached to an interpreter
/// by the host; `plot` hands every chart it draws in the terminal to it as well.
public final class PlotCapture {
    /// SVG documents, in the order the charts were drawn since the last `take()`.
    public private(set) var svgs: [String] = []
    /// Draws terminal charts this wide, whatever the terminal is (a notebook's output must not
    /// change with the window it was run in); nil: the terminal's width.
    public var width: Int?

    public init(width: Int? = nil) { self.width = width }

    /// The charts drawn since the last call, emptied.
    public func take() -> [String] {
        defer { svgs = [] }
        return svgs
    }

    func record(_ chart: Chart) { svgs.append(SVGRenderer.render(chart)) }
    func record(_ chart: BarChart) { svgs.append(SVGRenderer.render(chart)) }

    /// Starts capturing the charts `interpreter` draws (again, if it already was).
    public static func install(on interpreter: Interpreter, width: Int? = nil) -> PlotCapture {
        if let existing = interpreter.attachment(PlotCapture.self) {
            existing.width = width
            return existing
        }
        let capture = PlotCapture(width: width)
        interpreter.attach(capture)
        return capture
    }
}
