import LoopLang

/// The training primitives (data, models, `train`, `eval`, `generate`, checkpoints), bound from
/// `LoopTrain`. See docs/primitives.md.
enum TrainingPrimitives {
    static func register(into registry: Registry) {
        TrainingTypes.register(into: registry)
        DataPrimitives.register(into: registry)
        ModelPrimitives.register(into: registry)
        TrainPrimitives.register(into: registry)
        EvalPrimitives.register(into: registry)
        GeneratePrimitives.register(into: registry)
        CheckpointPrimitives.register(into: registry)
        RelabelPrimitives.register(into: registry)
        DataGlancePrimitives.register(into: registry)
    }
}
