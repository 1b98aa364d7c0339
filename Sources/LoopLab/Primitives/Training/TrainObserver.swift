import LoopLang
import LoopTrain

/// Something outside `train` that follows a run: it sees every curve point and may stop the run
/// (a study's pruner, through `train(..., trial: t)`), and it hears how the run ended. Training
/// knows nothing of studies; the research primitives implement this.
protocol TrainObserver: AnyObject {
    /// After the `index`-th curve point (1, 2, ...); returns a status to stop the run with
    /// (`.pruned`), or nil to go on. `final` is true for the point that ends the run, which
    /// there is no sense in stopping.
    func observe(point: [(String, Value)], index: Int, final: Bool) throws(LoopError) -> TrainingStatus?
    /// Once the run has ended, with its status and the steps it took.
    func ended(status: TrainingStatus, steps: Int) throws(LoopError)
}

extension TrainingLoop {
    /// The names of the fields a curve point will carry for this run, before it starts: the
    /// training loss, and the validation metrics of the data's task prefixed `val_`.
    static func curveFields(validation: DataBox?) -> [String] {
        var names = ["loss"]
        guard let validation else { return names }
        switch validation.content {
        case .table(let d): names += d.task == .regression ? ["val_mse", "val_r2", "val_loss"] : ["val_accuracy", "val_loss"]
        case .text: names += ["val_loss", "val_bpc"]
        }
        return names
    }
}
