using Pipelines.Checkpoints;
using Pipelines.Handlers;
using Pipelines.Logging;

namespace Pipelines.Generated;

/// <summary>
/// The trainer's callbacks of one <c>Fit</c> run (Lightning's <c>Trainer(callbacks=[...])</c>): the
/// defaults that <see cref="FitOptions"/> leaves on (model summary, progress bar, metrics table, and
/// with a run directory the CSV and TensorBoard loggers, which log the learning rates too), then
/// <see cref="FitOptions.Callbacks"/>. Sorted once, when the run starts, into one array per event,
/// so that the generated loop's <c>callbacks.OnIterationCompleted(in state)</c> is a loop of
/// interface calls over an array: no LINQ, no delegate, no boxing, no allocation. The pipeline's
/// own callback members are called directly by the generated code before these.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class TrainerCallbacks :
    IStartedHandler, IEpochStartedHandler, IIterationStartedHandler, IBackwardCompletedHandler, IIterationCompletedHandler, IEpochCompletedHandler,
    IValidationStartedHandler, IValidationCompletedHandler, ICompletedHandler, ITerminatedHandler, IExceptionRaisedHandler, IDisposable
{
    /// <summary>The prefix of a trainer callback's state in a checkpoint (not a C# identifier, so no member can take it).</summary>
    public const string StatePrefix = "callback-";

    readonly IStartedHandler[] started;
    readonly IEpochStartedHandler[] epochStarted;
    readonly IIterationStartedHandler[] iterationStarted;
    readonly IBackwardCompletedHandler[] backwardCompleted;
    readonly IIterationCompletedHandler[] iterationCompleted;
    readonly IEpochCompletedHandler[] epochCompleted;
    readonly IValidationStartedHandler[] validationStarted;
    readonly IValidationCompletedHandler[] validationCompleted;
    readonly ICompletedHandler[] completed;
    readonly ITerminatedHandler[] terminated;
    readonly IExceptionRaisedHandler[] exceptionRaised;
    readonly IDisposable[] owned;

    TrainerCallbacks(List<ICallback> all, List<IDisposable> owned, BestCheckpoints[] keepers)
    {
        All = all;
        this.owned = [.. owned];
        Keepers = keepers;
        started = [.. all.OfType<IStartedHandler>()];
        epochStarted = [.. all.OfType<IEpochStartedHandler>()];
        iterationStarted = [.. all.OfType<IIterationStartedHandler>()];
        backwardCompleted = [.. all.OfType<IBackwardCompletedHandler>()];
        iterationCompleted = [.. all.OfType<IIterationCompletedHandler>()];
        epochCompleted = [.. all.OfType<IEpochCompletedHandler>()];
        validationStarted = [.. all.OfType<IValidationStartedHandler>()];
        validationCompleted = [.. all.OfType<IValidationCompletedHandler>()];
        completed = [.. all.OfType<ICompletedHandler>()];
        terminated = [.. all.OfType<ITerminatedHandler>()];
        exceptionRaised = [.. all.OfType<IExceptionRaisedHandler>()];
    }

    /// <summary>
    /// The run's trainer callbacks: the defaults <paramref name="options"/> leaves on, each unless
    /// <paramref name="members"/> or <see cref="FitOptions.Callbacks"/> hold one of its type (two
    /// loggers of one type would write one file), then <see cref="FitOptions.Callbacks"/> in order.
    /// Every trainer callback that implements <see cref="ICheckpointState"/> is added to
    /// <paramref name="contents"/> as <c>callback-&lt;Type&gt;</c> (<c>-2</c>, <c>-3</c> for more of one type).
    /// </summary>
    /// <param name="options">The run's options.</param>
    /// <param name="contents">The checkpoint contents, its [Model] members already in (the model summary describes them).</param>
    /// <param name="members">The pipeline's callback members, which the generated code calls itself.</param>
    public static TrainerCallbacks Create(FitOptions options, CheckpointContents contents, params ICallback[] members)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(contents);
        ArgumentNullException.ThrowIfNull(members);
        var given = options.Callbacks;
        bool Default(bool enabled, Type type) => enabled && !members.Any(type.IsInstanceOfType) && !given.Any(type.IsInstanceOfType);
        var defaults = new List<ICallback>();
        if (Default(options.EnableModelSummary, typeof(ModelSummary)))
            defaults.AddRange(contents.Models.Values.Select(model => new ModelSummary(model)));
        if (Default(options.EnableProgressBar, typeof(ProgressBar)))
            defaults.Add(new ProgressBar());
        if (Default(options.EnableMetricsTable, typeof(MetricsTable)))
            defaults.Add(new MetricsTable());
        // The loggers write into the run's directory: a run without one has none by default.
        if (options.RunDirectory is not null && Default(options.EnableLoggers, typeof(CsvLogger)))
            defaults.Add(new CsvLogger());
        if (options.RunDirectory is not null && Default(options.EnableLoggers, typeof(TensorBoardLogger)))
            defaults.Add(new TensorBoardLogger());
        var perName = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var callback in given)
        {
            if (callback is not ICheckpointState state)
                continue;
            var name = StateName(callback.GetType());
            var count = perName[name] = perName.GetValueOrDefault(name) + 1;
            contents.States.Add(count == 1 ? name : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name}-{count}"), state);
        }
        BestCheckpoints[] keepers = [.. members.OfType<BestCheckpoints>(), .. given.OfType<BestCheckpoints>()];
        return new TrainerCallbacks([.. defaults, .. given], [.. defaults.OfType<IDisposable>()], keepers);
    }

    // A checkpoint key takes ASCII letters, digits, '_' and '-': a generic type's backtick becomes '_'.
    static string StateName(Type type) =>
        StatePrefix + string.Concat(type.Name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_'));

    /// <summary>Every trainer callback, defaults first, in the order they are called.</summary>
    public IReadOnlyList<ICallback> All { get; }

    /// <summary>The best-checkpoint keepers, the pipeline's members first: they write the epoch-end checkpoints, and <c>Test(TestCheckpoint.Best)</c> reads the first.</summary>
    public BestCheckpoints[] Keepers { get; }

    /// <inheritdoc />
    public void OnStarted(in PipelineState state)
    {
        foreach (var callback in started)
            callback.OnStarted(in state);
    }

    /// <inheritdoc />
    public void OnEpochStarted(in PipelineState state)
    {
        foreach (var callback in epochStarted)
            callback.OnEpochStarted(in state);
    }

    /// <inheritdoc />
    public void OnIterationStarted(in PipelineState state)
    {
        foreach (var callback in iterationStarted)
            callback.OnIterationStarted(in state);
    }

    /// <inheritdoc />
    public void OnBackwardCompleted(in PipelineState state)
    {
        foreach (var callback in backwardCompleted)
            callback.OnBackwardCompleted(in state);
    }

    /// <inheritdoc />
    public void OnIterationCompleted(in PipelineState state)
    {
        foreach (var callback in iterationCompleted)
            callback.OnIterationCompleted(in state);
    }

    /// <inheritdoc />
    public void OnEpochCompleted(in PipelineState state)
    {
        foreach (var callback in epochCompleted)
            callback.OnEpochCompleted(in state);
    }

    /// <inheritdoc />
    public void OnValidationStarted(in PipelineState state)
    {
        foreach (var callback in validationStarted)
            callback.OnValidationStarted(in state);
    }

    /// <inheritdoc />
    public void OnValidationCompleted(in PipelineState state)
    {
        foreach (var callback in validationCompleted)
            callback.OnValidationCompleted(in state);
    }

    /// <inheritdoc />
    public void OnCompleted(in PipelineState state)
    {
        foreach (var callback in completed)
            callback.OnCompleted(in state);
    }

    /// <inheritdoc />
    public void OnTerminated(in PipelineState state)
    {
        foreach (var callback in terminated)
            callback.OnTerminated(in state);
    }

    /// <inheritdoc />
    public void OnExceptionRaised(in PipelineState state)
    {
        foreach (var callback in exceptionRaised)
            callback.OnExceptionRaised(in state);
    }

    /// <summary>Disposes the defaults this run created (closing the loggers' files); the callbacks given in <see cref="FitOptions.Callbacks"/> are the caller's.</summary>
    public void Dispose()
    {
        foreach (var callback in owned)
            callback.Dispose();
    }
}
