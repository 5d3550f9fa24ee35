using System.Linq;
using Microsoft.CodeAnalysis;

namespace Pipelines.Rules;

/// <summary>
/// When the generator writes the constructor <c>Name(Hyperparameters hyperparameters)</c> and which
/// members it assigns, for the generator (which emits it) and the analyzers (PIPE032: a user
/// constructor that does not chain to it), so that the two cannot disagree.
/// </summary>
internal static class HyperparameterConstructor
{
    /// <summary>The name of the generated record nested in the pipeline class, which the constructor takes.</summary>
    public const string Record = "Hyperparameters";

    /// <summary>
    /// Whether the generated constructor assigns the [Hyperparameter] <paramref name="member"/>: an
    /// instance member a constructor can assign (a non-const field, a property with a setter, a
    /// get-only auto-property) whose type the command line reads (so that the record states its default).
    /// </summary>
    public static bool Sets(ISymbol member) =>
        IsAssignable(member) && PipelineRules.HyperparameterType(member) is { } type && OptionTypes.Read(type) is not null;

    /// <summary>Whether <paramref name="constructor"/> takes one parameter, of <paramref name="type"/>'s nested <c>Hyperparameters</c> record.</summary>
    public static bool Takes(IMethodSymbol constructor, INamedTypeSymbol type) =>
        constructor.Parameters.Length == 1 && IsRecordOf(constructor.Parameters[0].Type, type);

    /// <summary>
    /// Whether <paramref name="parameterType"/> is <paramref name="type"/>'s nested generated
    /// <c>Hyperparameters</c> record; before the generator has run (the generator's own input) the
    /// name does not bind yet, so an unbound <c>Hyperparameters</c> counts.
    /// </summary>
    public static bool IsRecordOf(ITypeSymbol parameterType, INamedTypeSymbol type) =>
        parameterType.Name == Record
        && (parameterType.TypeKind == TypeKind.Error || SymbolEqualityComparer.Default.Equals(parameterType.ContainingType, type));

    /// <summary>Whether the class declares <c>Name(Hyperparameters)</c> itself, in which case the generator writes none.</summary>
    public static bool IsDeclared(INamedTypeSymbol type) =>
        type.InstanceConstructors.Any(c => !c.IsImplicitlyDeclared && Takes(c, type) && !GeneratedMembers.IsGenerated(c));

    /// <summary>
    /// Whether the generator writes the constructor into a class it generates code for: a class (not
    /// a struct) that does not declare the constructor itself, whether or not it has a member that
    /// <see cref="Sets"/> assigns, so that <c>: this(new Hyperparameters())</c> works in every pipeline.
    /// </summary>
    public static bool IsEmitted(INamedTypeSymbol type) => type.TypeKind == TypeKind.Class && !IsDeclared(type);

    /// <summary>
    /// Whether each constructor of the user's must chain to the generated one (PIPE032): it is
    /// <see cref="IsEmitted"/> and assigns a member; one that assigns nothing loses nothing unchained.
    /// </summary>
    public static bool MustChain(INamedTypeSymbol type) =>
        IsEmitted(type) && type.GetMembers().Any(m => PipelineRules.HasAttribute(m, WellKnownNames.HyperparameterAttribute) && Sets(m));

    static bool IsAssignable(ISymbol member) => member switch
    {
        IFieldSymbol field => !field.IsConst && !field.IsStatic,
        IPropertySymbol property => !property.IsStatic && (property.SetMethod is not null || IsAutoProperty(property)),
        _ => false,
    };

    /// <summary>Whether <paramref name="property"/> is an auto-property (it has a compiler-made backing field).</summary>
    public static bool IsAutoProperty(IPropertySymbol property) =>
        property.ContainingType.GetMembers().OfType<IFieldSymbol>().Any(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, property));
}
