import Glibc
import LoopLang
import LoopPlot

/// `plot(...)`: charts in the terminal (braille dots, or ASCII), or as SVG with `to:`.
enum PlotPrimitives {
    /// `plot`'s parameters, each declared once (see `Param`).
    enum Parameters {
        static let data = Param.value("data", doc: "a Run, a List of Runs, a List of numbers, a record of Lists, or a Study")
        static let metric = Param.optionalString("metric", doc: "which curve of a Run (or Runs) to draw; default the loss and every val metric")
        static let labels = Param.optionalStrings("labels", doc: "legend entries for a List of Runs, one String each")
        static let title = Param.optionalString("title", doc: "the chart's title")
        static let log = Param.optionalString("log", doc: "\"x\", \"y\" or \"xy\": logarithmic axes")
        static let to = Param.optionalString("to", doc: "write the chart as SVG to this file instead of drawing it in the terminal")
        static let width = Param.optionalInt("width", doc: "columns in the terminal (default COLUMNS, else 80), or SVG pixels (640)")
        static let height = Param.optionalInt("height", doc: "rows in the terminal (16), or SVG pixels (360)")
        static let list = NativeParameters.list(data, metric, labels, title, log, to, width, height)
    }

    static func register(into registry: Registry) {
        registry.function(
            "plot", Parameters.list,
            doc: "Draws a Run (loss and val metrics by step), a List of Runs (one metric overlaid), a List of numbers, a record of Lists or a Study (trial values and the best so far) in the terminal; to: \"f.svg\" writes SVG instead. log: \"y\", \"x\" or \"xy\"."
        ) { call throws(LoopError) in
            typealias P = Parameters
            let labels = try call[P.labels]
            var chart = try PlotData.chart(try call[P.data], metric: try call[P.metric], labels: labels, function: "plot")
            if let title = try call[P.title] { chart.title = title }
            switch try call[P.log] {
            case nil: break
            case "x": chart.x.scale = .log
            case "y": chart.y.scale = .log
            case "xy", "yx": chart.x.scale = .log; chart.y.scale = .log
            case let other?: throw PlotData.plotError("plot", "log must be \"x\", \"y\" or \"xy\", got \"\(other)\"")
            }
            // A chart is drawn into a grid of width × height cells: bound both before allocating.
            for (p, value) in [(P.width, try call[P.width]), (P.height, try call[P.height])] {
                if let value, !(1...10_000).contains(value) {
                    throw PlotData.plotError("plot", "\(p.name) must be in 1...10000, got \(value)")
                }
            }
            if let path = try call[P.to] {
                try Capabilities.require(.write(path: path), call)
                let size = SVGRenderer.Size(width: Double(try call[P.width] ?? 640), height: Double(try call[P.height] ?? 360))
                do throws(POSIXFiles.Failure) { try POSIXFiles.writeText(path, SVGRenderer.render(chart, size: size)) } catch {
                    throw FilePrimitives.ioError("plot: cannot write '\(path)': \(error.reason)")
                }
                return .nil
            }
            let fixed = call.interpreter.attachment(PlotCapture.self)?.width
            let style = TerminalStyle(width: try call[P.width] ?? fixed ?? Terminal.columns, height: try call[P.height] ?? 16,
                                      unicode: fixed == nil ? Terminal.unicode : !Terminal.asciiRequested, color: Terminal.color)
            call.interpreter.output.write(TerminalRenderer.render(chart, style: style))
            call.interpreter.attachment(PlotCapture.self)?.record(chart)
            return .nil
        }
    }
}

/// What the terminal can show, read from the environment once per call.
enum Terminal {
    /// `COLUMNS`, else the terminal's width, else 80.
    static var columns: Int {
        if let text = getenv("COLUMNS").map({ String(cString: $0) }), let n = Int(text), n > 0 { return n }
        var size = winsize()
        if isatty(1) != 0, ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    /// Whether `LOOPLAB_ASCII=1` asks for plain ASCII.
    static var asciiRequested: Bool { getenv("LOOPLAB_ASCII").map { String(cString: $0) } == "1" }

    /// Braille and box drawing unless `LOOPLAB_ASCII=1` or the locale is not UTF-8.
    static var unicode: Bool {
        if asciiRequested { return false }
        for name in ["LC_ALL", "LC_CTYPE", "LANG"] {
            guard let value = getenv(name).map({ String(cString: $0) }), !value.isEmpty else { continue }
            let lower = value.lowercased()
            return lower.contains("utf-8") || lower.contains("utf8")
        }
        return false
    }

    /// ANSI colours on a terminal, unless `NO_COLOR` is set or the terminal is dumb.
    static var color: Bool {
        isatty(1) != 0 && getenv("NO_COLOR") == nil && getenv("TERM").map { String(cString: $0) } != "dumb"
    }
}
