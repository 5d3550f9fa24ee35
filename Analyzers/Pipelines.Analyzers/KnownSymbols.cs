using Microsoft.CodeAnalysis.CSharp.Syntax;
using Pipelines.Rules;

namespace Pipelines.Analyzers;

/// <summary>
/// TorchSharp's and the abstractions' types in one compilation, looked up once by metadata name
/// (TorchSharp nests them in <c>torch</c>: <c>TorchSharp.torch+Tensor</c>): the body checks
/// compare symbols, never identifiers.
/// </summary>
internal sealed class KnownSymbols
{
    /// <summary>
    /// The <c>torch</c> methods whose result restores a mode when disposed. TorchSharp types their
    /// results as plain <c>IDisposable</c> (the guard classes are internal), so the methods, not a
    /// result type, say what a guard is.
    /// </summary>
    static readonly HashSet<string> GradModeFactories = ["no_grad", "enable_grad", "set_grad_enabled", "inference_mode"];

    /// <summary>The torch guard factories by name, for reading a wrapper's body without binding it.</summary>
    static readonly HashSet<string> GuardFactoryNames = [.. GradModeFactories, "NewDisposeScope"];

    KnownSymbols(Compilation compilation, INamedTypeSymbol tensor)
    {
        Tensor = tensor;
        Torch = compilation.GetTypeByMetadataName("TorchSharp.torch");
        TensorExtensions = compilation.GetTypeByMetadataName("TorchSharp.TensorExtensionMethods");
        Module = compilation.GetTypeByMetadataName(WellKnownNames.Module);
        Optimizer = compilation.GetTypeByMetadataName(WellKnownNames.Optimizer);
        DisposeScope = compilation.GetTypeByMetadataName("TorchSharp.DisposeScope");
        PipelineAttribute = compilation.GetTypeByMetadataName(WellKnownNames.PipelineAttribute);
        TrainingStepAttribute = compilation.GetTypeByMetadataName(WellKnownNames.TrainingStepAttribute);
        ValidationStepAttribute = compilation.GetTypeByMetadataName(WellKnownNames.ValidationStepAttribute);
        TestStepAttribute = compilation.GetTypeByMetadataName(WellKnownNames.TestStepAttribute);
        OnEventAttribute = compilation.GetTypeByMetadataName(WellKnownNames.OnEventAttribute);
        OptimizerAttribute = compilation.GetTypeByMetadataName(WellKnownNames.OptimizerAttribute);
        MetricAttribute = compilation.GetTypeByMetadataName(WellKnownNames.MetricAttribute);
        Metric = compilation.GetTypeByMetadataName(WellKnownNames.Metric);
        Disposable = compilation.GetSpecialType(SpecialType.System_IDisposable);
    }

    /// <summary>The symbols, or null when the compilation does not reference TorchSharp (nothing to check).</summary>
    public static KnownSymbols? From(Compilation compilation) =>
        compilation.GetTypeByMetadataName(WellKnownNames.Tensor) is { } tensor ? new KnownSymbols(compilation, tensor) : null;

    public INamedTypeSymbol Tensor { get; }
    public INamedTypeSymbol? Torch { get; }
    public INamedTypeSymbol? TensorExtensions { get; }
    public INamedTypeSymbol? Module { get; }
    public INamedTypeSymbol? Optimizer { get; }
    public INamedTypeSymbol? DisposeScope { get; }
    public INamedTypeSymbol? PipelineAttribute { get; }
    public INamedTypeSymbol? TrainingStepAttribute { get; }
    public INamedTypeSymbol? ValidationStepAttribute { get; }
    public INamedTypeSymbol? TestStepAttribute { get; }
    public INamedTypeSymbol? OnEventAttribute { get; }
    public INamedTypeSymbol? OptimizerAttribute { get; }
    public INamedTypeSymbol? MetricAttribute { get; }
    public INamedTypeSymbol? Metric { get; }
    public INamedTypeSymbol Disposable { get; }

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

    /// <summary>
    /// A method whose result is a guard to dispose: <c>torch.no_grad()</c>, <c>enable_grad()</c>,
    /// <c>set_grad_enabled()</c>, <c>inference_mode()</c>, any static method that opens a
    /// <c>DisposeScope</c> (<c>torch.NewDisposeScope()</c>), or a wrapper of one of these (see <see cref="IsGuardWrapper"/>).
    /// </summary>
    public bool IsGuardFactory(IMethodSymbol method) =>
        IsGradModeFactory(method) || (method.IsStatic && Is(method.ReturnType, DisposeScope)) || IsGuardWrapper(method);

    /// <summary>
    /// A method of the user's that returns a guard made by a torch guard factory:
    /// <c>static IDisposable Quiet() =&gt; torch.no_grad();</c>, or a block whose only statement
    /// returns one. Read from the declaration's syntax (the factory by name), as the wrapper may
    /// live in another file than the call.
    /// </summary>
    public bool IsGuardWrapper(IMethodSymbol method)
    {
        if (method.DeclaringSyntaxReferences.Length != 1 || !(Is(method.ReturnType, Disposable) || Is(method.ReturnType, DisposeScope))
            || method.DeclaringSyntaxReferences[0].GetSyntax() is not BaseMethodDeclarationSyntax declaration)
            return false;
        var returned = declaration.ExpressionBody?.Expression
            ?? (declaration.Body is { Statements.Count: 1 } body && body.Statements[0] is ReturnStatementSyntax { Expression: { } expression } ? expression : null);
        return returned is InvocationExpressionSyntax { Expression: var callee }
            && (callee switch { MemberAccessExpressionSyntax access => access.Name, SimpleNameSyntax name => name, _ => null }) is { } called
            && GuardFactoryNames.Contains(called.Identifier.ValueText);
    }

    /// <summary>One of the <c>torch</c> methods that set the gradient mode until their result is disposed.</summary>
    public bool IsGradModeFactory(IMethodSymbol method) =>
        method.IsStatic && GradModeFactories.Contains(method.Name) && Is(method.ContainingType, Torch);

    /// <summary>
    /// A call that runs a module: <c>call</c> or <c>forward</c> on a module (<c>Module&lt;T, TResult&gt;</c>
    /// and TorchSharp's other arities, such as <c>LSTM</c>'s <c>Module&lt;T1, T2, TResult&gt;</c>).
    /// </summary>
    public bool IsModuleRun(IMethodSymbol method) =>
        method.Name is "call" or "forward" && !method.IsStatic && DerivesFrom(method.ContainingType, Module);

    /// <summary>
    /// A method of the tensor: an instance method declared on (or overriding one of) <c>Tensor</c>,
    /// or one of TorchSharp's extension methods on it (<c>ToSingle()</c>, <c>str()</c>, ...).
    /// </summary>
    public bool IsTensorMethod(IMethodSymbol method) =>
        DeclaredOn(method, Tensor)
        || (method.IsExtensionMethod && Is(method.ContainingType, TensorExtensions) && IsTensor(method.Parameters.FirstOrDefault()?.Type));

    /// <summary>A method of a Pipelines metric (a type implementing <c>IMetric&lt;TResult&gt;</c>, or the interface itself).</summary>
    public bool IsMetricMethod(IMethodSymbol method) =>
        Metric is not null && method.ContainingType is { } type
        && (Is(type, Metric) || type.AllInterfaces.Any(i => Is(i, Metric)));

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
