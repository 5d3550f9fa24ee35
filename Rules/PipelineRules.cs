using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Pipelines.Rules;

/// <summary>What is wrong with a [Pipeline] class, one kind per structure diagnostic.</summary>
internal enum PipelineViolationKind
{
    NotPartial,
    Static,
    MissingTrainingStep,
    DuplicateStep,
    TrainingStepSignature,
    EvaluationStepSignature,
    HandlerSignature,
    UnknownEvent,
    EventNeverFires,
    InvalidFilter,
    ModelNotModule,
    OptimizerWithoutSteps,
    MetricNotMetric,
    MetricNameCollision,
    CheckpointedWithoutState,
    HyperparameterNotCapturable,
    HyperparameterNotReadable,
    MetricNeverUpdated,
    GeneratedMemberClash,
    HyperparameterSettable,
    UnsupportedBatchType,
    ConfigureOptimizersSignature,
}

/// <summary>One broken rule: its kind, where to report it, and the words the message needs.</summary>
internal readonly struct PipelineViolation
{
    public PipelineViolation(PipelineViolationKind kind, Location location, params string[] arguments)
    {
        Kind = kind;
        Location = location;
        Arguments = arguments;
    }

    public PipelineViolationKind Kind { get; }

    public Location Location { get; }

    public string[] Arguments { get; }

    /// <summary>
    /// Whether the generator skips the class for it: every rule but <see cref="PipelineViolationKind.EventNeverFires"/>
    /// (the handler is dropped), <see cref="PipelineViolationKind.HyperparameterNotReadable"/> (only the command line is)
    /// and <see cref="PipelineViolationKind.MetricNeverUpdated"/> (a run-time failure the generated code cannot prevent).
    /// </summary>
    public bool BlocksGeneration =>
        Kind is not (PipelineViolationKind.EventNeverFires or PipelineViolationKind.HyperparameterNotReadable or PipelineViolationKind.MetricNeverUpdated);
}

/// <summary>
/// The rules for a [Pipeline] class, with reasons, in one place: the generator's model builder asks
/// <see cref="Check"/> and emits nothing for a class with a violation that
/// <see cref="PipelineViolation.BlocksGeneration"/>; the analyzers report every violation.
/// Linked into both from this folder, with the names they read (<see cref="WellKnownNames"/>,
/// <see cref="MetadataNames"/>, <see cref="StepShapes"/>, <see cref="OptionTypes"/>).
/// </summary>
internal static class PipelineRules
{
    /// <summary>Every rule <paramref name="type"/> breaks, in declaration order.</summary>
    public static List<PipelineViolation> Check(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken)
    {
        var violations = new List<PipelineViolation>();
        CheckPartial(type, violations, cancellationToken);
        if (type.IsStatic)
            violations.Add(new(PipelineViolationKind.Static, NameLocation(type), type.Name));

        var members = type.GetMembers();
        var trainingSteps = MethodsWith(members, WellKnownNames.TrainingStepAttribute);
        ITypeSymbol? batch = null;
        if (trainingSteps.Count == 0)
            violations.Add(new(PipelineViolationKind.MissingTrainingStep, NameLocation(type), type.Name));
        else
        {
            var training = trainingSteps[0];
            var optimizerTypes = members.Where(m => m.GetAttributes().Any(a => MetadataNames.Of(a.AttributeClass) == WellKnownNames.OptimizerAttribute))
                .Select(MemberType).OfType<ITypeSymbol>().ToList();
            if (!HasBatchProblem(training, "Training", violations))
            {
                if (StepShapes.IsTrainingStep(training, optimizerTypes, compilation))
                    batch = training.Parameters[0].Type;
                else
                    violations.Add(new(PipelineViolationKind.TrainingStepSignature, NameLocation(training), training.Name));
            }
        }
        Duplicates(type, trainingSteps, "TrainingStep", violations);

        foreach (var (attribute, phase) in new[] { (WellKnownNames.ValidationStepAttribute, "Validation"), (WellKnownNames.TestStepAttribute, "Test") })
        {
            var steps = MethodsWith(members, attribute);
            if (steps.Count > 0 && !HasBatchProblem(steps[0], phase, violations) && !IsEvaluationStep(steps[0], batch))
                violations.Add(new(PipelineViolationKind.EvaluationStepSignature, NameLocation(steps[0]), steps[0].Name, phase,
                    batch is null ? "TBatch" : BatchShapes.FromBatch(BatchShapes.Feed(batch)) ? "Batch" : batch.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
            Duplicates(type, steps, phase + "Step", violations);
        }
        var configure = MethodsWith(members, WellKnownNames.ConfigureOptimizersAttribute);
        if (configure.Count > 0 && !IsConfigureOptimizers(configure[0]))
            violations.Add(new(PipelineViolationKind.ConfigureOptimizersSignature, NameLocation(configure[0]), configure[0].Name));
        Duplicates(type, configure, "ConfigureOptimizers", violations);
        var hasValidation = MethodsWith(members, WellKnownNames.ValidationStepAttribute).Count > 0;
        var hasTest = MethodsWith(members, WellKnownNames.TestStepAttribute).Count > 0;
        CheckGeneratedNames(type, members, hasValidation, hasTest, violations);
        CheckMembers(type, members, hasValidation, violations, cancellationToken);
        return violations;
    }

    static void CheckMembers(INamedTypeSymbol type, ImmutableArray<ISymbol> members, bool hasValidation, List<PipelineViolation> violations, CancellationToken cancellationToken)
    {
        HashSet<string>? reached = null;
        var properties = new Dictionary<string, string>();
        var hyperparameters = new Dictionary<string, string>();
        foreach (var member in members)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var attribute in member.GetAttributes())
            {
                switch (MetadataNames.Of(attribute.AttributeClass))
                {
                    case WellKnownNames.ModelAttribute:
                        if (MemberType(member) is not { } moduleType || !MetadataNames.DerivesFrom(moduleType, WellKnownNames.Module))
                            violations.Add(new(PipelineViolationKind.ModelNotModule, NameLocation(member), member.Name));
                        break;
                    case WellKnownNames.OptimizerAttribute:
                        if (MemberType(member) is not { } optimizerType
                            || !HasCallableMethod(optimizerType, WellKnownNames.ZeroGrad) || !HasCallableMethod(optimizerType, WellKnownNames.Step))
                            violations.Add(new(PipelineViolationKind.OptimizerWithoutSteps, NameLocation(member), member.Name));
                        break;
                    case WellKnownNames.HyperparameterAttribute:
                        CheckHyperparameter(member, hyperparameters, violations);
                        break;
                    case WellKnownNames.CheckpointedAttribute:
                        if (MemberType(member) is not { } stateType || !IsCheckpointState(stateType))
                            violations.Add(new(PipelineViolationKind.CheckpointedWithoutState, NameLocation(member), member.Name));
                        break;
                    case WellKnownNames.MetricAttribute:
                        if (MemberType(member) is not { } metricType || MetricResult(metricType) is null)
                            violations.Add(new(PipelineViolationKind.MetricNotMetric, NameLocation(member), member.Name));
                        else
                            CheckMetric(member, reached ??= NamesReachedFrom(type, members.Where(IsStepOrHandler), cancellationToken), properties, violations);
                        break;
                    case WellKnownNames.OnEventAttribute:
                        CheckHandler(type, member, attribute, hasValidation, violations, cancellationToken);
                        break;
                }
            }
        }
    }

    static void CheckMetric(ISymbol member, HashSet<string> reached, Dictionary<string, string> properties, List<PipelineViolation> violations)
    {
        if (!reached.Contains(member.Name))
            violations.Add(new(PipelineViolationKind.MetricNeverUpdated, NameLocation(member), member.Name));
        var property = PropertyName(member.Name);
        if (property == "Metrics")
            violations.Add(new(PipelineViolationKind.MetricNameCollision, NameLocation(member), member.Name, property, "is the name of the generated record"));
        else if (properties.TryGetValue(property, out var first))
            violations.Add(new(PipelineViolationKind.MetricNameCollision, NameLocation(member), member.Name, property, "[Metric] '" + first + "' already becomes"));
        else
            properties.Add(property, member.Name);
    }

    /// <summary>
    /// The names the bodies of <paramref name="roots"/> mention, following the calls into the
    /// members of <paramref name="pipeline"/> (and its source base types', as the pipeline sees them:
    /// an override, not the base member): a metric updated through a helper counts for every step that reaches the helper.
    /// Generated members are not followed (the generated <c>Dispose</c> names every metric).
    /// </summary>
    public static HashSet<string> NamesReachedFrom(INamedTypeSymbol pipeline, IEnumerable<ISymbol> roots, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>();
        var visited = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var pending = new Stack<ISymbol>();
        foreach (var root in roots)
            if (visited.Add(root))
                pending.Push(root);
        while (pending.Count > 0)
        {
            foreach (var reference in pending.Pop().DeclaringSyntaxReferences)
            {
                foreach (var name in reference.GetSyntax(cancellationToken).DescendantNodes().OfType<SimpleNameSyntax>())
                {
                    var text = name.Identifier.ValueText;
                    if (!names.Add(text))
                        continue;
                    for (var type = pipeline; type is not null; type = type.BaseType)
                        foreach (var member in type.GetMembers(text))
                            if (member is IMethodSymbol or IPropertySymbol && !GeneratedMembers.IsGenerated(member) && visited.Add(member))
                                pending.Push(member);
                }
            }
        }
        return names;
    }

    static bool IsStepOrHandler(ISymbol member) =>
        member is IMethodSymbol && member.GetAttributes().Any(a => MetadataNames.Of(a.AttributeClass) is WellKnownNames.TrainingStepAttribute
            or WellKnownNames.ValidationStepAttribute or WellKnownNames.TestStepAttribute or WellKnownNames.OnEventAttribute);

    /// <summary>
    /// A member of the class named like a member the generator writes into it: a field, property,
    /// event or nested type always clashes; a method only with a generated type's name (a method
    /// beside a generated method of the same name is an overload).
    /// </summary>
    static void CheckGeneratedNames(INamedTypeSymbol type, ImmutableArray<ISymbol> members, bool hasValidation, bool hasTest, List<PipelineViolation> violations)
    {
        var generated = new HashSet<string>(GeneratedMembers.Emitted(hasMetrics: members.Any(m => HasAttribute(m, WellKnownNames.MetricAttribute)), hasValidation, hasTest));
        foreach (var member in members)
        {
            if (member.IsImplicitlyDeclared || !generated.Contains(member.Name) || member.Locations.FirstOrDefault() is not { IsInSource: true }
                || GeneratedMembers.IsGenerated(member))
                continue;
            if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary } && !GeneratedMembers.Types.Contains(member.Name))
                continue;
            violations.Add(new(PipelineViolationKind.GeneratedMemberClash, NameLocation(member), member.Name, type.Name,
                GeneratedMembers.Types.Contains(member.Name) ? "the nested record " + member.Name : "'" + member.Name + "'"));
        }
    }

    /// <summary>The record property a [Metric] member becomes: leading underscores dropped, first letter upper-cased.</summary>
    public static string PropertyName(string member)
    {
        var name = member.TrimStart('_');
        return name.Length == 0 ? member : char.ToUpperInvariant(name[0]) + name.Substring(1);
    }

    /// <summary>Whether <paramref name="symbol"/> carries the attribute named <paramref name="attribute"/>.</summary>
    public static bool HasAttribute(ISymbol symbol, string attribute)
    {
        foreach (var data in symbol.GetAttributes())
            if (MetadataNames.Of(data.AttributeClass) == attribute)
                return true;
        return false;
    }

    /// <summary>The result type of the <c>IMetric&lt;TResult&gt;</c> that <paramref name="type"/> implements, or null.</summary>
    public static ITypeSymbol? MetricResult(ITypeSymbol type)
    {
        foreach (var candidate in type.AllInterfaces.Concat(type is INamedTypeSymbol { TypeKind: TypeKind.Interface } self ? new[] { self } : new INamedTypeSymbol[0]))
            if (MetadataNames.Of(candidate.OriginalDefinition) == WellKnownNames.Metric)
                return candidate.TypeArguments[0];
        return null;
    }

    /// <summary>The type of an instance field or readable, parameterless instance property; null for anything else.</summary>
    public static ITypeSymbol? MemberType(ISymbol member) => member switch
    {
        IFieldSymbol { IsStatic: false } field => field.Type,
        IPropertySymbol { IsStatic: false, GetMethod: not null, Parameters.Length: 0 } property => property.Type,
        _ => null,
    };

    static void CheckPartial(INamedTypeSymbol type, List<PipelineViolation> violations, CancellationToken cancellationToken)
    {
        // The generator looks at the declaration that carries [Pipeline], and at the first
        // declaration of each containing type.
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration && !IsPartial(declaration)
                && declaration.AttributeLists.Count > 0)
                violations.Add(new(PipelineViolationKind.NotPartial, declaration.Identifier.GetLocation(), type.Name, ""));
        }
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            if (outer.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is TypeDeclarationSyntax syntax && !IsPartial(syntax))
                violations.Add(new(PipelineViolationKind.NotPartial, syntax.Identifier.GetLocation(), outer.Name, " (it contains pipeline '" + type.Name + "')"));
        }
    }

    static bool IsPartial(TypeDeclarationSyntax declaration) => declaration.Modifiers.Any(SyntaxKind.PartialKeyword);

    /// <summary>The methods among <paramref name="members"/> that carry the attribute named <paramref name="attribute"/>, in declaration order.</summary>
    public static List<IMethodSymbol> MethodsWith(ImmutableArray<ISymbol> members, string attribute)
    {
        var found = new List<IMethodSymbol>();
        foreach (var member in members)
            if (member is IMethodSymbol method && HasAttribute(method, attribute))
                found.Add(method);
        return found;
    }

    /// <summary>The type of a [Hyperparameter] field or readable, parameterless property (static or not); null for anything else.</summary>
    public static ITypeSymbol? HyperparameterType(ISymbol member) => member switch
    {
        IFieldSymbol field => field.Type,
        IPropertySymbol { GetMethod: not null, Parameters.Length: 0 } readable => readable.Type,
        _ => null,
    };

    /// <summary>The generator's conditions for capturing a [Hyperparameter] into the generated record.</summary>
    static void CheckHyperparameter(ISymbol member, Dictionary<string, string> seen, List<PipelineViolation> violations)
    {
        var type = HyperparameterType(member);
        var location = NameLocation(member);
        if (type is null || type.IsRefLikeType || type.TypeKind == TypeKind.Pointer)
        {
            violations.Add(new(PipelineViolationKind.HyperparameterNotCapturable, location, member.Name,
                "must be a field or a readable property of an ordinary type (not ref-like, not a pointer)"));
            return;
        }
        var property = PropertyName(member.Name);
        if (System.Array.IndexOf(WellKnownNames.ReservedHyperparameterProperties, property) >= 0)
            violations.Add(new(PipelineViolationKind.HyperparameterNotCapturable, location, member.Name,
                "becomes the Hyperparameters record property '" + property + "', a name the generated record already uses"));
        else if (seen.TryGetValue(property, out var first))
            violations.Add(new(PipelineViolationKind.HyperparameterNotCapturable, location, member.Name,
                "becomes the Hyperparameters record property '" + property + "', as [Hyperparameter] '" + first + "' already does"));
        else
            seen.Add(property, member.Name);
        // Set after construction (an object initialiser, a later assignment), the member no longer is what the constructor body built the model and optimizer from.
        if (SettableAfterConstruction(member) is { } how)
            violations.Add(new(PipelineViolationKind.HyperparameterSettable, location, member.Name, member.ContainingType.Name, how));
        // A static member is recorded but never an option; an instance member the command line cannot read drops the whole command line.
        if (!member.IsStatic && OptionTypes.Read(type) is null)
            violations.Add(new(PipelineViolationKind.HyperparameterNotReadable, location, member.Name,
                type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), member.ContainingType.Name));
    }

    /// <summary>
    /// How code outside the class can assign the instance [Hyperparameter] <paramref name="member"/> after
    /// its constructor ran ("has an init accessor", "has a set accessor", "is a field that is not readonly"),
    /// or null when it cannot: an init accessor of any accessibility, a set accessor or a writable field
    /// that is not private (a private one is the class's own to assign, as a handler may).
    /// </summary>
    public static string? SettableAfterConstruction(ISymbol member) => member switch
    {
        IPropertySymbol { IsStatic: false, SetMethod.IsInitOnly: true } => "has an init accessor",
        IPropertySymbol { IsStatic: false, SetMethod: { DeclaredAccessibility: not Accessibility.Private } } => "has a set accessor",
        IFieldSymbol { IsStatic: false, IsConst: false, IsReadOnly: false, DeclaredAccessibility: not Accessibility.Private } => "is a field that is not readonly",
        _ => null,
    };

    /// <summary>Whether <paramref name="type"/> is, or implements, <c>ICheckpointState</c>.</summary>
    public static bool IsCheckpointState(ITypeSymbol type) =>
        MetadataNames.Of(type) == WellKnownNames.CheckpointState || type.AllInterfaces.Any(i => MetadataNames.Of(i) == WellKnownNames.CheckpointState);

    static void Duplicates(INamedTypeSymbol type, List<IMethodSymbol> steps, string attribute, List<PipelineViolation> violations)
    {
        for (var i = 1; i < steps.Count; i++)
            violations.Add(new(PipelineViolationKind.DuplicateStep, NameLocation(steps[i]), steps[i].Name, attribute, type.Name, steps[0].Name));
    }

    /// <summary>
    /// An evaluation step takes the training step's batch type; where the training step is fed from the
    /// loaders' <c>Batch</c>, any type fed from it (the data sources are the same <c>IBatchSource&lt;Batch&gt;</c>).
    /// </summary>
    static bool IsEvaluationStep(IMethodSymbol step, ITypeSymbol? batch) =>
        StepShapes.IsPlainMethod(step) && step.ReturnsVoid && step.Parameters.Length == 1
        && (batch is null || SymbolEqualityComparer.Default.Equals(step.Parameters[0].Type, batch)
            || (BatchShapes.FromBatch(BatchShapes.Feed(batch)) && BatchShapes.FromBatch(BatchShapes.Feed(step.Parameters[0].Type))));

    /// <summary>Reports PIPE034 when the first parameter of <paramref name="step"/> has a type no batch source can pass it.</summary>
    static bool HasBatchProblem(IMethodSymbol step, string phase, List<PipelineViolation> violations)
    {
        if (step.Parameters.Length == 0 || BatchShapes.Problem(step.Parameters[0].Type) is not { } problem)
            return false;
        violations.Add(new(PipelineViolationKind.UnsupportedBatchType, NameLocation(step), step.Name, phase,
            step.Parameters[0].Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), problem));
        return true;
    }

    /// <summary>An instance method with no parameters that returns void, as <c>Fit</c> calls it after placing the models.</summary>
    static bool IsConfigureOptimizers(IMethodSymbol method) =>
        !method.IsStatic && !method.IsGenericMethod && method.ReturnsVoid && method.Parameters.Length == 0;

    static bool HasCallableMethod(ITypeSymbol type, string name)
    {
        for (ITypeSymbol? t = type; t is not null; t = t.BaseType)
            foreach (var member in t.GetMembers(name))
                if (member is IMethodSymbol { IsStatic: false, DeclaredAccessibility: Accessibility.Public } method && method.Parameters.All(p => p.IsOptional))
                    return true;
        return false;
    }

    static void CheckHandler(INamedTypeSymbol type, ISymbol member, AttributeData attribute, bool hasValidation, List<PipelineViolation> violations, CancellationToken cancellationToken)
    {
        var location = AttributeLocation(attribute, member, cancellationToken);
        if (member is not IMethodSymbol method || !method.ReturnsVoid || method.IsGenericMethod || method.Parameters.Length > 1
            || (method.Parameters.Length == 1
                && (method.Parameters[0].RefKind != RefKind.In || MetadataNames.Of(method.Parameters[0].Type) != WellKnownNames.PipelineState)))
            violations.Add(new(PipelineViolationKind.HandlerSignature, NameLocation(member), member.Name));

        // A missing or mistyped event argument is already a compiler error.
        if (attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0] is { Type: INamedTypeSymbol, Value: int value })
        {
            var eventName = EventName(attribute);
            if (eventName is null)
                violations.Add(new(PipelineViolationKind.UnknownEvent, location, member.Name, value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            else if (!hasValidation && EventTable.Default.Find(eventName) is { NeedsValidation: true })
                violations.Add(new(PipelineViolationKind.EventNeverFires, location, member.Name, "Events." + eventName, type.Name));
        }
        if (FilterProblem(attribute, out _) is { } problem)
            violations.Add(new(PipelineViolationKind.InvalidFilter, location, member.Name, problem));
    }

    /// <summary>The <c>Events</c> member an [OnEvent] names, or null when its argument is missing or names no member.</summary>
    public static string? EventName(AttributeData attribute) =>
        attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0] is { Type: INamedTypeSymbol eventType, Value: int value }
            ? eventType.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value))?.Name
            : null;

    /// <summary>Why an [OnEvent] filter is rejected (Ignite's rules), or null when it is valid and <paramref name="filter"/> holds its values.</summary>
    public static string? FilterProblem(AttributeData attribute, out EventFilter filter)
    {
        filter = default;
        int? every = null, once = null, before = null, after = null;
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Value.Value is not int n)
                return argument.Key + " must be a constant integer";
            switch (argument.Key)
            {
                case WellKnownNames.Every when n > 0: every = n; break;
                case WellKnownNames.Once when n > 0: once = n; break;
                case WellKnownNames.Before when n > 0: before = n; break;
                case WellKnownNames.After when n >= 0: after = n; break;
                case WellKnownNames.After: return "After = " + n + " must be zero or more";
                default: return argument.Key + " = " + n + " must be positive";
            }
        }
        if (once is not null && (every is not null || before is not null || after is not null))
            return "Once fires at one occurrence and combines with no other filter (Every, Before, After)";
        if (before is { } b && after is { } a && b <= a + 1)
            return "After = " + a + ", Before = " + b + " leaves no occurrence (both bounds are exclusive)";
        filter = new EventFilter(every, once, before, after);
        return null;
    }

    static Location AttributeLocation(AttributeData attribute, ISymbol member, CancellationToken cancellationToken) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? NameLocation(member);

    static Location NameLocation(ISymbol symbol) => symbol.Locations.FirstOrDefault() ?? Location.None;
}
