namespace Pipelines.Analyzers;

/// <summary>
/// Every diagnostic the Pipelines analyzers report, in one place: sequential IDs with one
/// prefix, short titles, messages that name the member at fault, a help page per ID.
/// PIPE001–PIPE014, PIPE025–PIPE027, PIPE031, PIPE033 and PIPE034 explain why a [Pipeline] class gets no (or incomplete) generated code;
/// PIPE016–PIPE024, PIPE028–PIPE030 and PIPE032 flag training-loop misuse. PIPE015 and PIPE023 are retired (see <see cref="RetiredIds"/>).
/// </summary>
internal static class DiagnosticDescriptors
{
    /// <summary>Where docs/diagnostics/PIPExxx.md is published; one constant to change when the repository moves.</summary>
    public const string HelpLinkRoot = "https://github.com/pipelines-dotnet/pipelines/blob/main/docs/diagnostics/";

    /// <summary>IDs that were reported once and are never reused; each keeps a docs page that says why it went.</summary>
    public static readonly string[] RetiredIds = ["PIPE015", "PIPE023"];

    const string Structure = "Pipelines.Structure";
    const string Usage = "Pipelines.Usage";
    const string Performance = "Pipelines.Performance";

    public static readonly DiagnosticDescriptor PipelineNotPartial = Error("PIPE001", Structure,
        "Pipeline type is not partial",
        "'{0}' must be partial so that the generator can add its Fit, Validate and Test methods{1}");

    public static readonly DiagnosticDescriptor PipelineStatic = Error("PIPE002", Structure,
        "Pipeline class is static",
        "Pipeline '{0}' is static; the generated loop runs on an instance (remove 'static')");

    public static readonly DiagnosticDescriptor MissingTrainingStep = Error("PIPE003", Structure,
        "Pipeline has no training step",
        "Pipeline '{0}' has no [TrainingStep] method; declare exactly one, 'Tensor Train(TBatch batch)' or 'void Train(TBatch batch)'");

    public static readonly DiagnosticDescriptor DuplicateStep = Error("PIPE004", Structure,
        "Step declared more than once",
        "'{0}' is a second [{1}] in pipeline '{2}'; a pipeline has at most one (the first is '{3}')");

    public static readonly DiagnosticDescriptor TrainingStepSignature = Error("PIPE005", Structure,
        "Unsupported training step signature",
        "Training step '{0}' has an unsupported signature; supported: 'Tensor {0}(TBatch batch[, in PipelineState state])' (the engine runs backward and the optimizers) or 'void {0}(TBatch batch[, each [Optimizer] in declaration order][, in PipelineState state])' (manual optimization), non-generic, no ref/out parameter");

    public static readonly DiagnosticDescriptor EvaluationStepSignature = Error("PIPE006", Structure,
        "Unsupported evaluation step signature",
        "{1} step '{0}' has an unsupported signature; supported: 'void {0}({2} batch)', taking the training step's batch type, non-generic, no ref/out/in parameter");

    public static readonly DiagnosticDescriptor HandlerSignature = Error("PIPE007", Structure,
        "Unsupported event handler signature",
        "Handler '{0}' has an unsupported signature; supported: 'void {0}()' or 'void {0}(in PipelineState state)', non-generic");

    public static readonly DiagnosticDescriptor UnknownEvent = Error("PIPE008", Structure,
        "Event does not exist",
        "Handler '{0}' names event value {1}, which is not a member of Events");

    public static readonly DiagnosticDescriptor EventNeverFires = Error("PIPE009", Structure,
        "Event does not fire in this pipeline",
        "Handler '{0}' handles {1}, which never fires in pipeline '{2}': it has no [ValidationStep]");

    public static readonly DiagnosticDescriptor InvalidFilter = Error("PIPE010", Structure,
        "Invalid event filter",
        "Handler '{0}' has an invalid filter: {1}");

    public static readonly DiagnosticDescriptor ModelNotModule = Error("PIPE011", Structure,
        "Model member is not a module",
        "[Model] '{0}' must be an instance field or readable property whose type derives from TorchSharp.torch.nn.Module");

    public static readonly DiagnosticDescriptor OptimizerWithoutSteps = Error("PIPE012", Structure,
        "Optimizer member cannot step",
        "[Optimizer] '{0}' must be an instance field or readable property whose type has public zero_grad() and step() methods");

    public static readonly DiagnosticDescriptor MetricNotMetric = Error("PIPE013", Structure,
        "Metric member is not a metric",
        "[Metric] '{0}' must be an instance field or readable property whose type implements Pipelines.Metrics.IMetric<TResult>");

    public static readonly DiagnosticDescriptor MetricNameCollision = Error("PIPE014", Structure,
        "Metric property name collides",
        "[Metric] '{0}' becomes the metrics record property '{1}', which {2}; rename the member");

    public static readonly DiagnosticDescriptor ForwardWithGradients = Warning("PIPE016", Usage,
        "Model runs with gradients in evaluation code",
        "'{0}' runs in evaluation code of '{1}' outside 'using var _ = torch.no_grad();' or torch.inference_mode(): {2}");

    public static readonly DiagnosticDescriptor GuardNotDisposed = Warning("PIPE017", Usage,
        "Guard is not disposed by using",
        "The result of '{0}' is {1}: the mode it sets stays on for the rest of the thread; write 'using var _ = {0};' or 'using ({0}) {{ ... }}'");

    public static readonly DiagnosticDescriptor OptimizationInEvaluation = Warning("PIPE018", Usage,
        "Optimization call in an evaluation step",
        "'{0}' in {1} step '{2}': evaluation runs without gradients and must not change the weights");

    public static readonly DiagnosticDescriptor HostReadInTrainingStep = Warning("PIPE019", Performance,
        "Host read of a tensor in the training step",
        "'{0}' in training step '{1}' copies a tensor to the host and waits for the device every iteration; update a [Metric] or read it in an [OnEvent(..., Every = n)] handler");

    public static readonly DiagnosticDescriptor LossAccumulatedWithGraph = Warning("PIPE020", Usage,
        "Tensor accumulated with its graph attached",
        "'{0}' accumulates a tensor into '{1}' across iterations with its autograd graph attached, so every iteration's graph stays alive; accumulate '{0}.detach()' or update a Mean metric");

    public static readonly DiagnosticDescriptor ForwardCalledDirectly = Warning("PIPE021", Usage,
        "forward called directly",
        "'{0}.forward(...)' is called directly; call '{0}.call(...)' so the module's call path (hooks, checks) runs");

    public static readonly DiagnosticDescriptor ModeChangeInStep = Warning("PIPE022", Usage,
        "Mode change inside a step",
        "'{0}' in step '{1}': the engine owns training and evaluation modes (it switches them around each phase and restores them)");

    public static readonly DiagnosticDescriptor StepWithoutZeroGrad = Warning("PIPE024", Usage,
        "Optimizer step without zero_grad",
        "'{0}.step()' in manual-optimization step '{1}' has no preceding '{0}.zero_grad()': gradients accumulate across iterations");

    public static readonly DiagnosticDescriptor CheckpointedWithoutState = Error("PIPE025", Structure,
        "Checkpointed member keeps no checkpoint state",
        "[Checkpointed] '{0}' must be an instance field or readable property whose type implements Pipelines.Checkpoints.ICheckpointState");

    public static readonly DiagnosticDescriptor HyperparameterNotCapturable = Error("PIPE026", Structure,
        "Hyperparameter cannot be captured",
        "[Hyperparameter] '{0}' {1}; rename or retype the member");

    public static readonly DiagnosticDescriptor HyperparameterNotReadable = Warning("PIPE027", Structure,
        "Hyperparameter cannot be read from the command line",
        "[Hyperparameter] '{0}' has type '{1}', which cannot be read from text, so '{2}' gets no generated command line (Hyperparameters.TryParse, CommandLineOptions); use a number, bool, string, enum or a type with a static Parse(string), or make the member static");

    public static readonly DiagnosticDescriptor MetricNeverUpdated = Warning("PIPE028", Usage,
        "Metric is never updated",
        "[Metric] '{0}' is not updated by any step, handler or method they call: it never has data, and computing it after the first validation pass throws; update it in a step or remove it");

    public static readonly DiagnosticDescriptor OptimizationOrder = Warning("PIPE029", Usage,
        "Manual optimization out of order",
        "'{0}' in manual-optimization step '{1}' {2}");

    public static readonly DiagnosticDescriptor BackwardInAutomaticStep = Warning("PIPE030", Usage,
        "backward in a training step that returns its loss",
        "'{0}' in training step '{1}': the step returns its loss and the engine already runs backward on it, so a second backward fails (the graph is freed); remove the call, or make the step void to optimize manually");

    public static readonly DiagnosticDescriptor GeneratedMemberClash = Error("PIPE031", Structure,
        "Member named like a generated member",
        "'{0}' in pipeline '{1}' has the name of the member the generator writes ({2}); rename it");

    public static readonly DiagnosticDescriptor ConstructorNotChained = Warning("PIPE032", Usage,
        "Constructor does not chain to the generated hyperparameter constructor",
        "Constructor '{0}' does not chain to the generated '{1}(Hyperparameters)', so the [Hyperparameter] members keep their initialisers while Fit records them as the run's; chain with ': this(hyperparameters)'");

    public static readonly DiagnosticDescriptor HyperparameterSettable = Error("PIPE033", Structure,
        "Hyperparameter can be set after construction",
        "[Hyperparameter] '{0}' {2}: an object initialiser ('new {1}(...) {{ {0} = ... }}') or a later assignment sets it after the constructor body built the model and optimizer from the old value, while Fit records the new one; make it '{{ get; }}' (a field 'readonly') and pass the value in the Hyperparameters record");

    public static readonly DiagnosticDescriptor UnsupportedBatchType = Error("PIPE034", Structure,
        "Unsupported step batch type",
        "{1} step '{0}' takes '{2}', which {3}; take Batch, a (Tensor, Tensor) tuple, a type with a constructor (Tensor input, Tensor target), or a type of your own that your IBatchSource<T> yields");

    public static readonly DiagnosticDescriptor ConfigureOptimizersSignature = Error("PIPE035", Structure,
        "Unsupported ConfigureOptimizers signature",
        "[ConfigureOptimizers] method '{0}' must be 'void {0}()': an instance method with no parameters, not generic, that assigns the [Optimizer] members (Fit calls it once, after placing the models)");

    static DiagnosticDescriptor Error(string id, string category, string title, string message) =>
        Create(id, category, title, message, DiagnosticSeverity.Error);

    static DiagnosticDescriptor Warning(string id, string category, string title, string message) =>
        Create(id, category, title, message, DiagnosticSeverity.Warning);

    static DiagnosticDescriptor Create(string id, string category, string title, string message, DiagnosticSeverity severity) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, helpLinkUri: HelpLinkRoot + id + ".md");
}
