namespace Pipelines.Generators.Model;

/// <summary>
/// The pipeline type's declaration: namespace (null: the global one), the types it is nested in,
/// its kind, name, type parameters (<c>&lt;T&gt;</c> or empty) and the generated file's hint name.
/// </summary>
internal sealed record TypeShape(
    string? Namespace,
    EquatableArray<ContainingTypeModel> ContainingTypes,
    DeclarationKind Kind,
    string Name,
    string TypeParameters,
    string HintName)
{
    /// <summary>The name with its type parameters, as code inside the type names it.</summary>
    public string FullName => Name + TypeParameters;

    /// <summary>The name as a doc comment's <c>cref</c> spells it (<c>C{T}</c>).</summary>
    public string Cref => FullName.Replace('<', '{').Replace('>', '}');
}
