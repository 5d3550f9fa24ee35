namespace Pipelines.Generators.Model;

/// <summary>A type the pipeline class is nested in: its kind and name with type parameters.</summary>
internal sealed record ContainingTypeModel(DeclarationKind Kind, string Name);
