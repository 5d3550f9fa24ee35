namespace Pipelines.Analyzers;

/// <summary>What a method is to the engine: which checks apply to its body.</summary>
internal enum BodyRole
{
    Other,
    TrainingStep,
    ManualTrainingStep,
    ValidationStep,
    TestStep,
    Handler,
}

/// <summary>Whose body a code block is: the owning symbol, its [Pipeline] class (null outside one), and its role.</summary>
internal readonly struct BodyOwner
{
    public BodyOwner(ISymbol symbol, INamedTypeSymbol? pipeline, BodyRole role) => (Symbol, Pipeline, Role) = (symbol, pipeline, role);

    public ISymbol Symbol { get; }

    public INamedTypeSymbol? Pipeline { get; }

    public BodyRole Role { get; }
}
