namespace Pipelines.Generators.Model;

/// <summary>
/// A [Hyperparameter] member: the record property it becomes, its declared type, whether it is
/// static, how <c>HyperparameterValues</c> records it, its command-line option (null when its type
/// cannot be read from text, or for a static member), and whether the generated constructor sets it.
/// </summary>
internal sealed record HyperparameterModel(string Member, string Property, string Type, bool IsStatic, HyperparameterRecording Recording, OptionModel? Option, bool SetByConstructor)
{
    /// <summary>How generated code reads the member (static members through the type, not <c>this</c>).</summary>
    public string Read(string typeName) => (IsStatic ? typeName : "this") + "." + Member;
}
