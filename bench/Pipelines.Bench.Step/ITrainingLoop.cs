namespace Pipelines.Bench.Step;

/// <summary>A hand-written TorchSharp training loop that the program times.</summary>
internal interface ITrainingLoop : IDisposable
{
    /// <summary>The steps of one pass over the training data (drop-last batches).</summary>
    int StepsPerEpoch { get; }

    /// <summary>Starts a new pass (a new shuffle) at the next step.</summary>
    void StartEpoch();

    /// <summary>Runs <paramref name="steps"/> training steps, one dispose scope each.</summary>
    void Run(int steps);
}
