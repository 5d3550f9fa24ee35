using Microsoft.CodeAnalysis;

namespace Pipelines.Generators.Model;

/// <summary>The step methods of a valid pipeline class, while its model is built (null: the class has no such step).</summary>
internal sealed record StepMethods(IMethodSymbol Training, IMethodSymbol? Validation, IMethodSymbol? Test);
