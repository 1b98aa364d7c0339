import LoopLang

/// `now()`: the wall clock, for timing loops and stamping results.
enum ClockPrimitives {
    static func register(into registry: Registry, clock: any WallClock) {
        registry.function("now", [], doc: "Wall-clock time in seconds since 1970 (a Float); subtract two readings to time code.") { _ in
            .float(clock.now())
        }
    }
}
