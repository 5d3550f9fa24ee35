using Pipelines.Rules;

namespace Pipelines.Generators.Model;

/// <summary>
/// Everything the emitters need about one valid pipeline class, as plain values (no symbols,
/// syntax or locations), so the incremental pipeline can compare it between edits.
/// </summary>
internal sealed record PipelineModel(
    string? Namespace,
    EquatableArray<ContainingTypeModel> ContainingTypes,
    string Keyword,
    string Name,
    string TypeParameters,
    string HintName,
    string BatchType,
    StepModel Training,
    bool TrainingReturnsLoss,
    StepModel? Validation,
    StepModel? Test,
    EquatableArray<string> Models,
    EquatableArray<string> Optimizers,
    EquatableArray<MetricModel> Metrics,
    EquatableArray<HyperparameterModel> Hyperparameters,
    EquatableArray<HandlerModel> Handlers,
    EquatableArray<string> CheckpointOptimizers,
    EquatableArray<CheckpointStateModel> CheckpointStates,
    EquatableArray<CallbackModel> Callbacks,
    EquatableArray<string> Disposables,
    bool DisposeDeclared,
    bool ConstructorDeclared,
    bool HyperparameterConstructorDeclared,
    bool FindLearningRateDeclared = false)
{
    /// <summary>The best-checkpoint members (they write the epoch-end checkpoints and name the best and last files for <c>Test</c>).</summary>
    public System.Collections.Generic.IEnumerable<string> Keepers => System.Linq.Enumerable.Select(System.Linq.Enumerable.Where(Callbacks, c => c.IsKeeper), c => c.Member);
}

/// <summary>
/// A member whose type takes part in the run by implementing the runtime's handler interfaces
/// (<c>IStartedHandler</c>, <c>IIterationCompletedHandler</c>, ...): the events it takes, in
/// <see cref="CallbackModel.Events"/>, and its position among the class's members, so callbacks and
/// [OnEvent] methods of one event run in declaration order. A <c>BestCheckpoints</c> member is a keeper.
/// </summary>
internal sealed record CallbackModel(string Member, string Type, int Order, EquatableArray<string> Events, bool IsKeeper);

/// <summary>
/// A member whose state every checkpoint carries beside the models and optimizers, by its name:
/// a [Metric] the training step updates whose type implements <c>ICheckpointState</c> (its
/// accumulators, for mid-epoch checkpoints), or a [Checkpointed] member.
/// </summary>
internal sealed record CheckpointStateModel(string Member, string Why);

/// <summary>A type the pipeline class is nested in: its keyword (<c>class</c>, <c>record struct</c>) and name with type parameters.</summary>
internal sealed record ContainingTypeModel(string Keyword, string Name);

/// <summary>
/// A step method: its name, whether it is static, and what it takes after the batch: the
/// [Optimizer] members in declaration order (manual optimization) and/or <c>in PipelineState</c>.
/// </summary>
internal sealed record StepModel(string Name, bool IsStatic, bool TakesOptimizers = false, bool TakesState = false)
{
    /// <summary>How generated code calls it with <paramref name="batch"/> (and the optimizers and the state when it takes them).</summary>
    public string Call(string batch, EquatableArray<string> optimizers = default)
    {
        var arguments = batch;
        if (TakesOptimizers)
            foreach (var optimizer in optimizers)
                arguments += ", this." + optimizer;
        if (TakesState)
            arguments += ", in state";
        return (IsStatic ? "" : "this.") + Name + "(" + arguments + ")";
    }
}

/// <summary>
/// A [Metric] member: the record property it becomes, its result type, the phases whose step uses
/// it, and its logged name (snake case of the member, <c>validationLoss</c> -> <c>validation_loss</c>);
/// a metric whose result is a number gets a key per phase (<c>Metrics.Val.Accuracy</c>, <c>val/accuracy</c>).
/// </summary>
internal sealed record MetricModel(string Member, string Property, string ResultType, bool Training, bool Validation, bool Test, string LogName = "", bool IsScalar = false);

/// <summary>
/// A [Hyperparameter] member: the record property it becomes, its declared type, whether it is
/// static, the <c>HyperparameterValues</c> method that records it (<c>Set</c> or <c>SetText</c>), its
/// command-line option (null when its type cannot be read from text, or for a static member), and
/// whether the generated constructor sets it (<see cref="HyperparameterConstructor.Sets"/>).
/// </summary>
internal sealed record HyperparameterModel(string Member, string Property, string Type, bool IsStatic, string Recorder, OptionModel? Option = null, bool SetByConstructor = false)
{
    /// <summary>How generated code reads the member (static members through the type, not <c>this</c>).</summary>
    public string Read(string typeName) => (IsStatic ? typeName : "this") + "." + Member;
}

/// <summary>One [OnEvent] attribute on a method: the event, whether it takes the state, and its filter (0 = not set, After -1 = not set).</summary>
internal sealed record HandlerModel(string Method, bool IsStatic, string Event, bool TakesState, int Every, int Once, int Before, int After, int Order = 0);

/// <summary>
/// A [Hyperparameter] member as a command-line option: its name (<c>--learning-rate</c>), the
/// value shown in the help, the doc summary, its default (a C# expression and its help text; null
/// when the member has no constant initialiser, which makes the option required), how the text
/// is read, the type read (without <c>?</c>), whether <c>none</c> means null, and an enum's members.
/// </summary>
internal sealed record OptionModel(
    string Name,
    string ValueName,
    string Description,
    string? DefaultExpression,
    string? DefaultText,
    OptionParse Parse,
    string ValueType,
    bool IsNullable,
    bool IsFlag,
    EquatableArray<string> EnumMembers);
