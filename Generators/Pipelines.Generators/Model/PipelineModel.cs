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
    EquatableArray<HandlerModel> Handlers);

/// <summary>A type the pipeline class is nested in: its keyword (<c>class</c>, <c>record struct</c>) and name with type parameters.</summary>
internal sealed record ContainingTypeModel(string Keyword, string Name);

/// <summary>A step method: its name and whether it is static.</summary>
internal sealed record StepModel(string Name, bool IsStatic)
{
    /// <summary>How generated code calls it.</summary>
    public string Call(string argument) => (IsStatic ? "" : "this.") + Name + "(" + argument + ")";
}

/// <summary>A [Metric] member: the record property it becomes, its result type, and the phases whose step uses it.</summary>
internal sealed record MetricModel(string Member, string Property, string ResultType, bool Training, bool Validation, bool Test);

/// <summary>One [OnEvent] attribute on a method: the event, whether it takes the state, and its filter (0 = not set, After -1 = not set).</summary>
internal sealed record HandlerModel(string Method, bool IsStatic, string Event, bool TakesState, int Every, int Once, int Before, int After);
