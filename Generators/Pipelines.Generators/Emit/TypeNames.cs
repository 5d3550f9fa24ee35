namespace Pipelines.Generators.Emit;

/// <summary>
/// Fully qualified names of the runtime, TorchSharp and BCL types generated code uses (global:: so a
/// user type cannot shadow them), all here: a runtime type that moves is a change to this file only.
/// </summary>
internal static class TypeNames
{
    public const string PipelineRun = "global::Pipelines.PipelineRun";
    public const string PipelineState = "global::Pipelines.PipelineState";
    public const string FitOptions = "global::Pipelines.FitOptions";
    public const string FitResult = "global::Pipelines.FitResult";
    public const string PipelineCheckpoints = "global::Pipelines.Generated.PipelineCheckpoints";
    public const string TrainerCallbacks = "global::Pipelines.Generated.TrainerCallbacks";
    public const string BestCheckpoints = "global::Pipelines.Handlers.BestCheckpoints";
    public const string CheckpointContents = "global::Pipelines.Checkpoints.CheckpointContents";
    public const string GradientClipping = "global::Pipelines.Generated.GradientClipping";
    public const string PrecisionMode = "global::Pipelines.PrecisionMode";
    public const string AutocastSetting = "global::Pipelines.AutocastSetting";
    public const string ProfiledPhase = "global::Pipelines.ProfiledPhase";
    public const string IHyperparameters = "global::Pipelines.IHyperparameters";
    public const string HyperparameterValues = "global::Pipelines.Checkpoints.HyperparameterValues";
    public const string IReadOnlyList = "global::System.Collections.Generic.IReadOnlyList";
    public const string ModuleModes = "global::Pipelines.Core.ModuleModes";
    public const string BatchSource = "global::Pipelines.Data.IBatchSource";
    public const string Seeding = "global::Pipelines.Generated.Seeding";
    public const string LibTorchRuntime = "global::Pipelines.LibTorchRuntime";
    public const string ModuleInitializer = "global::System.Runtime.CompilerServices.ModuleInitializer";
    public const string Assembly = "global::System.Reflection.Assembly";
    public const string RankSupervisor = "global::Pipelines.Distributed.RankSupervisor";
    public const string Torch = "global::TorchSharp.torch";
    public const string Module = "global::TorchSharp.torch.nn.Module";
    public const string Tensor = "global::TorchSharp.torch.Tensor";

    public const string NamedOptimizer = "global::System.Collections.Generic.KeyValuePair<string, global::TorchSharp.torch.optim.Optimizer>";
    public const string MetricKey = "global::Pipelines.Metrics.MetricKey";
    public const string MetricValues = "global::Pipelines.Metrics.MetricValues";
    public const string DataWaitMeter = "global::Pipelines.Data.IDataWaitMeter";
    public const string Checkpoint = "global::Pipelines.Checkpoints.Checkpoint";
    public const string TestCheckpoint = "global::Pipelines.Handlers.TestCheckpoint";
    public const string Disposable = "global::System.IDisposable";
    public const string DeviceMoves = "global::Pipelines.Generated.DeviceMoves";
    public const string Device = "global::TorchSharp.torch.Device";
    public const string CancellationToken = "global::System.Threading.CancellationToken";
    public const string ArgumentNullException = "global::System.ArgumentNullException";
    public const string Exception = "global::System.Exception";
    public const string OperationCanceledException = "global::System.OperationCanceledException";
    public const string Array = "global::System.Array";
    public const string NotNullWhen = "global::System.Diagnostics.CodeAnalysis.NotNullWhen";
    public const string ReadOnlySpan = "global::System.ReadOnlySpan";
    public const string TextWriter = "global::System.IO.TextWriter";
    public const string Console = "global::System.Console";
    public const string String = "global::System.String";
    public const string StringComparison = "global::System.StringComparison";
    public const string CultureInfo = "global::System.Globalization.CultureInfo";
    public const string FormatException = "global::System.FormatException";
    public const string ArgumentException = "global::System.ArgumentException";
    public const string CommandLineOption = "global::Pipelines.Generated.CommandLineOption";
    public const string CommandLineParser = "global::Pipelines.Generated.CommandLineParser";
    public const string CommandLineValues = "global::Pipelines.Generated.CommandLineValues";
    public const string PipelineCommandLine = "global::Pipelines.Generated.PipelineCommandLine";
    public const string TrainerSettings = "global::Pipelines.CommandLine.TrainerSettings";
    public const string LearningRateFinder = "global::Pipelines.Schedulers.LearningRateFinder";
    public const string LearningRateFinderResult = "global::Pipelines.Schedulers.LearningRateFinderResult";

    /// <summary>The generated metrics record, nested in the pipeline class.</summary>
    public const string Metrics = "Metrics";

    /// <summary>The generated hyperparameters record, nested in the pipeline class.</summary>
    public const string Hyperparameters = "Hyperparameters";
}
