using System.Linq;
using Microsoft.CodeAnalysis;
using Pipelines.Generators;

namespace Pipelines.Analyzers;

/// <summary>
/// The binding's and the abstractions' types in one compilation, looked up once by metadata
/// name: the body checks compare symbols, never identifiers.
/// </summary>
internal sealed class KnownSymbols
{
    KnownSymbols(Compilation compilation, INamedTypeSymbol tensor)
    {
        Tensor = tensor;
        Torch = compilation.GetTypeByMetadataName("Pipelines.Torch.torch");
        Device = compilation.GetTypeByMetadataName("Pipelines.Torch.Device");
        Module = compilation.GetTypeByMetadataName(WellKnownNames.Module);
        ModuleOfT = compilation.GetTypeByMetadataName("Pipelines.Torch.Modules.Module`2");
        Optimizer = compilation.GetTypeByMetadataName("Pipelines.Torch.Optimizers.Optimizer");
        GradModeGuard = compilation.GetTypeByMetadataName("Pipelines.Torch.GradModeGuard");
        InferenceModeGuard = compilation.GetTypeByMetadataName("Pipelines.Torch.InferenceModeGuard");
        DisposeScope = compilation.GetTypeByMetadataName("Pipelines.Torch.DisposeScope");
        PipelineAttribute = compilation.GetTypeByMetadataName(WellKnownNames.PipelineAttribute);
        TrainingStepAttribute = compilation.GetTypeByMetadataName(WellKnownNames.TrainingStepAttribute);
        ValidationStepAttribute = compilation.GetTypeByMetadataName(WellKnownNames.ValidationStepAttribute);
        TestStepAttribute = compilation.GetTypeByMetadataName(WellKnownNames.TestStepAttribute);
        OnEventAttribute = compilation.GetTypeByMetadataName(WellKnownNames.OnEventAttribute);
        OptimizerAttribute = compilation.GetTypeByMetadataName(WellKnownNames.OptimizerAttribute);
        MetricAttribute = compilation.GetTypeByMetadataName(WellKnownNames.MetricAttribute);
    }

    /// <summary>The symbols, or null when the compilation does not reference the binding (nothing to check).</summary>
    public static KnownSymbols? From(Compilation compilation) =>
        compilation.GetTypeByMetadataName(WellKnownNames.Tensor) is { } tensor ? new KnownSymbols(compilation, tensor) : null;

    public INamedTypeSymbol Tensor { get; }
    public INamedTypeSymbol? Torch { get; }
    public INamedTypeSymbol? Device { get; }
    public INamedTypeSymbol? Module { get; }
    public INamedTypeSymbol? ModuleOfT { get; }
    public INamedTypeSymbol? Optimizer { get; }
    public INamedTypeSymbol? GradModeGuard { get; }
    public INamedTypeSymbol? InferenceModeGuard { get; }
    public INamedTypeSymbol? DisposeScope { get; }
    public INamedTypeSymbol? PipelineAttribute { get; }
    public INamedTypeSymbol? TrainingStepAttribute { get; }
    public INamedTypeSymbol? ValidationStepAttribute { get; }
    public INamedTypeSymbol? TestStepAttribute { get; }
    public INamedTypeSymbol? OnEventAttribute { get; }
    public INamedTypeSymbol? OptimizerAttribute { get; }
    public INamedTypeSymbol? MetricAttribute { get; }

    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? known) =>
        known is not null && SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, known);

    public static bool DerivesFrom(ITypeSymbol? type, INamedTypeSymbol? known)
    {
        if (known is null)
            return false;
        for (var t = type; t is not null; t = t.BaseType)
            if (SymbolEqualityComparer.Default.Equals(t.OriginalDefinition, known))
                return true;
        return false;
    }

    public static bool Has(ISymbol symbol, INamedTypeSymbol? attribute)
    {
        if (attribute is null)
            return false;
        foreach (var data in symbol.GetAttributes())
            if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute))
                return true;
        return false;
    }

    /// <summary>Whether <paramref name="method"/> is, or overrides, a method declared on <paramref name="type"/>.</summary>
    public static bool DeclaredOn(IMethodSymbol method, INamedTypeSymbol? type)
    {
        for (IMethodSymbol? m = method.OriginalDefinition; m is not null; m = m.OverriddenMethod?.OriginalDefinition)
            if (Is(m.ContainingType, type))
                return true;
        return false;
    }

    /// <summary>A tensor-typed value (a Tensor or a subclass such as Parameter).</summary>
    public bool IsTensor(ITypeSymbol? type) => DerivesFrom(type, Tensor);

    /// <summary>The result of torch.no_grad(), enable_grad(), inference_mode() or NewDisposeScope(): a guard to dispose.</summary>
    public bool IsGuard(ITypeSymbol? type) => Is(type, GradModeGuard) || Is(type, InferenceModeGuard) || Is(type, DisposeScope);

    /// <summary>A call that runs a module: <c>call</c> or <c>forward</c> on a <c>Module&lt;TIn, TOut&gt;</c>.</summary>
    public bool IsModuleRun(IMethodSymbol method) =>
        method.Name is "call" or "forward" && !method.IsStatic && DerivesFrom(method.ContainingType, ModuleOfT);

    /// <summary>A <c>torch</c> factory: a static method that makes a tensor from no tensor (<c>*_like</c>, <c>cat</c> and friends follow their inputs' device).</summary>
    public bool IsFactory(IMethodSymbol method) =>
        method.IsStatic && Is(method.ContainingType, Torch) && IsTensor(method.ReturnType) && !method.Parameters.Any(p => MentionsTensor(p.Type));

    bool MentionsTensor(ITypeSymbol type) =>
        IsTensor(type)
        || (type is IArrayTypeSymbol array && MentionsTensor(array.ElementType))
        || (type is INamedTypeSymbol { IsGenericType: true } generic && generic.TypeArguments.Any(MentionsTensor));

    /// <summary>The [Pipeline] class <paramref name="symbol"/> belongs to, if any, and its role there.</summary>
    public BodyOwner OwnerOf(ISymbol symbol)
    {
        var type = symbol.ContainingType;
        var pipeline = type is not null && Has(type, PipelineAttribute) ? type : null;
        return new BodyOwner(symbol, pipeline, RoleOf(symbol, pipeline is not null));
    }

    /// <summary>What a method is to the engine, from its attributes: steps count only in a [Pipeline] class, handlers anywhere.</summary>
    BodyRole RoleOf(ISymbol symbol, bool inPipeline)
    {
        if (symbol is not IMethodSymbol method)
            return BodyRole.Other;
        // One pass over the attributes: most methods have none.
        var role = BodyRole.Other;
        foreach (var attribute in method.GetAttributes())
        {
            var type = attribute.AttributeClass;
            if (Is(type, OnEventAttribute))
                return BodyRole.Handler;
            if (!inPipeline)
                continue;
            if (Is(type, TrainingStepAttribute))
                role = method.ReturnsVoid ? BodyRole.ManualTrainingStep : BodyRole.TrainingStep;
            else if (Is(type, ValidationStepAttribute))
                role = BodyRole.ValidationStep;
            else if (Is(type, TestStepAttribute))
                role = BodyRole.TestStep;
        }
        return role;
    }
}
