namespace Pipelines;

/// <summary>What <c>Fit</c> returns: the latest value of every metric, the hyperparameters the run used, and the final counters.</summary>
/// <typeparam name="TMetrics">The pipeline's generated metrics record.</typeparam>
/// <typeparam name="THyperparameters">The pipeline's generated hyperparameters record.</typeparam>
public sealed class FitResult<TMetrics, THyperparameters>
    where THyperparameters : IHyperparameters
{
    /// <summary>Creates a result from the metrics, the captured hyperparameters and the run that produced them.</summary>
    public FitResult(TMetrics metrics, THyperparameters hyperparameters, PipelineRun run)
    {
        ArgumentNullException.ThrowIfNull(hyperparameters);
        ArgumentNullException.ThrowIfNull(run);
        Metrics = metrics;
        Hyperparameters = hyperparameters;
        Epochs = run.Epoch;
        Iterations = run.Iteration;
        OptimizerSteps = run.OptimizerSteps;
        Terminated = run.TerminateRequested;
        Elapsed = run.Elapsed;
        Interrupted = run.Interrupted;
        LastCheckpoint = run.LastCheckpoint;
        ResumedFrom = run.ResumedFrom;
        HyperparameterChanges = run.HyperparameterChanges;
        Profile = run.CompleteProfile();
        run.Returned();
    }

    /// <summary>The latest computed value of every metric (null for a metric whose phase never ran).</summary>
    public TMetrics Metrics { get; }

    /// <summary>The [Hyperparameter] values captured when the run started (typed; <see cref="IHyperparameters.ToValues"/> records them).</summary>
    public THyperparameters Hyperparameters { get; }

    /// <summary>The number of epochs started.</summary>
    public int Epochs { get; }

    /// <summary>The number of training iterations run.</summary>
    public int Iterations { get; }

    /// <summary>The number of optimizer steps taken (under manual optimization, one per training iteration).</summary>
    public int OptimizerSteps { get; }

    /// <summary>Whether a handler ended the run with <see cref="PipelineState.Terminate"/>.</summary>
    public bool Terminated { get; }

    /// <summary>
    /// Whether the run was interrupted (its cancellation token, Ctrl-C through <see cref="ConsoleInterrupt"/>)
    /// before it completed: the iteration in progress finished, no Completed handler ran, and when
    /// <see cref="FitOptions.Checkpoints"/> is set <see cref="LastCheckpoint"/> resumes it
    /// (<see cref="FitOptions.ResumeFrom"/>).
    /// </summary>
    public bool Interrupted { get; }

    /// <summary>The path of the latest checkpoint the run wrote (null when it wrote none).</summary>
    public string? LastCheckpoint { get; }

    /// <summary>Where the run resumed from (<see cref="FitOptions.ResumeFrom"/>), or null for a fresh run.</summary>
    public Checkpoints.CheckpointCounters? ResumedFrom { get; }

    /// <summary>After a resume, one line per hyperparameter whose value differs from the checkpoint's (empty otherwise).</summary>
    public IReadOnlyList<string> HyperparameterChanges { get; }

    /// <summary>
    /// Where the run's time went when <see cref="FitOptions.Profiler"/> was on (printed to
    /// <see cref="FitOptions.Output"/> as the run ended); null when it was off.
    /// </summary>
    public StepProfile? Profile { get; }

    /// <summary>The wall-clock time of the run.</summary>
    public TimeSpan Elapsed { get; }
}
