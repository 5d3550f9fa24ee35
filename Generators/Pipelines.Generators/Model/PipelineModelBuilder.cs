using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Pipelines.Generators.Model;

/// <summary>
/// Turns a [Pipeline] class into a <see cref="PipelineModel"/>, or null when the class is not
/// valid: the generator then emits nothing and the analyzers say why.
/// </summary>
internal static class PipelineModelBuilder
{
    static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static PipelineModel? Build(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax declaration)
            return null;
        if (!IsPartial(declaration) || type.IsStatic)
            return null;
        var containing = ContainingTypes(type);
        if (containing is null)
            return null;

        var members = type.GetMembers();
        var training = Single(members, WellKnownNames.TrainingStepAttribute, out var trainingSteps);
        if (training is null || trainingSteps != 1 || training.Parameters.Length == 0 || !StepShapes.IsPlainMethod(training))
            return null;
        var batch = training.Parameters[0].Type;
        if (training.Parameters[0].RefKind != RefKind.None)
            return null;
        var returnsLoss = !training.ReturnsVoid;
        if (returnsLoss && !MetadataNames.DerivesFrom(training.ReturnType, WellKnownNames.Tensor))
            return null;

        var validation = Single(members, WellKnownNames.ValidationStepAttribute, out var validationSteps);
        var test = Single(members, WellKnownNames.TestStepAttribute, out var testSteps);
        if (validationSteps > 1 || testSteps > 1 || !IsEvaluationStep(validation, batch) || !IsEvaluationStep(test, batch))
            return null;

        var models = new List<string>();
        var optimizers = new List<string>();
        var optimizerTypes = new List<ITypeSymbol>();
        var metrics = new List<MetricModel>();
        var hyperparameters = new List<HyperparameterModel>();
        var handlers = new List<HandlerModel>();
        var checkpointStates = new List<CheckpointStateModel>();
        var checkpointOptimizers = new List<string>();
        var trainingNames = IdentifiersIn(training, cancellationToken);
        var validationNames = IdentifiersIn(validation, cancellationToken);
        var testNames = IdentifiersIn(test, cancellationToken);

        foreach (var member in members)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var attribute in member.GetAttributes())
            {
                switch (MetadataNames.Of(attribute.AttributeClass))
                {
                    case WellKnownNames.ModelAttribute:
                        if (MemberType(member) is not { } moduleType || !MetadataNames.DerivesFrom(moduleType, WellKnownNames.Module))
                            return null;
                        models.Add(member.Name);
                        break;
                    case WellKnownNames.OptimizerAttribute:
                        if (MemberType(member) is not { } optimizerType
                            || !HasCallableMethod(optimizerType, WellKnownNames.ZeroGrad) || !HasCallableMethod(optimizerType, WellKnownNames.Step))
                            return null;
                        optimizers.Add(member.Name);
                        optimizerTypes.Add(optimizerType);
                        // A TorchSharp optimizer is saved through TorchSharp's own serializer; another type only when it keeps a checkpoint state itself.
                        if (MetadataNames.DerivesFrom(optimizerType, WellKnownNames.Optimizer))
                            checkpointOptimizers.Add(member.Name);
                        else if (IsCheckpointState(optimizerType))
                            checkpointStates.Add(new CheckpointStateModel(member.Name, "[Optimizer] " + member.Name + ": not a TorchSharp optimizer; its own checkpoint state"));
                        break;
                    case WellKnownNames.MetricAttribute:
                        if (MemberType(member) is not { } metricType || MetricResult(metricType) is not { } result)
                            return null;
                        bool inTraining = trainingNames.Contains(member.Name), inValidation = validationNames.Contains(member.Name), inTest = testNames.Contains(member.Name);
                        // A metric no step mentions is a validation metric (updated from a handler, say).
                        metrics.Add(new MetricModel(member.Name, PropertyName(member.Name), Nullable(result),
                            inTraining, inValidation || !(inTraining || inTest), inTest));
                        if (inTraining && IsCheckpointState(metricType))
                            checkpointStates.Add(new CheckpointStateModel(member.Name, "[Metric] " + member.Name + ": the training accumulators (a mid-epoch checkpoint resumes the epoch's value)"));
                        break;
                    case WellKnownNames.CheckpointedAttribute:
                        if (MemberType(member) is not { } stateType || !IsCheckpointState(stateType))
                            return null;
                        checkpointStates.Add(new CheckpointStateModel(member.Name, "[Checkpointed] " + member.Name));
                        break;
                    case WellKnownNames.HyperparameterAttribute:
                        if (Hyperparameter(member, context.SemanticModel.Compilation, cancellationToken) is not { } hyperparameter)
                            return null;
                        hyperparameters.Add(hyperparameter);
                        break;
                    case WellKnownNames.OnEventAttribute:
                        if (Handler(member, attribute) is not { } handler)
                            return null;
                        handlers.Add(handler);
                        break;
                }
            }
        }

        // Record properties must be distinct and may not be named after the record itself.
        var properties = metrics.Select(m => m.Property).ToList();
        if (properties.Distinct().Count() != properties.Count || properties.Contains("Metrics"))
            return null;
        var hyperparameterProperties = hyperparameters.Select(h => h.Property).ToList();
        if (hyperparameterProperties.Distinct().Count() != hyperparameterProperties.Count
            || hyperparameterProperties.Any(ReservedHyperparameterNames.Contains))
            return null;

        if (StepShapes.TrainingExtras(training, optimizerTypes, context.SemanticModel.Compilation) is not { } extras)
            return null;
        var (takesOptimizers, takesState) = extras;
        // Only a manual step (void) takes the optimizers: with a loss the engine steps them.
        if (takesOptimizers && returnsLoss)
            return null;

        var ns = type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString();
        return new PipelineModel(
            ns,
            new EquatableArray<ContainingTypeModel>(containing),
            Keyword(declaration),
            type.Name,
            TypeParameters(type),
            HintName(type),
            batch.ToDisplayString(TypeFormat),
            new StepModel(training.Name, training.IsStatic, takesOptimizers, takesState),
            returnsLoss,
            validation is null ? null : new StepModel(validation.Name, validation.IsStatic),
            test is null ? null : new StepModel(test.Name, test.IsStatic),
            new EquatableArray<string>(models),
            new EquatableArray<string>(optimizers),
            new EquatableArray<MetricModel>(metrics),
            new EquatableArray<HyperparameterModel>(hyperparameters),
            new EquatableArray<HandlerModel>(handlers),
            new EquatableArray<string>(checkpointOptimizers),
            // A [Metric] that is also [Checkpointed] is saved once.
            new EquatableArray<CheckpointStateModel>(checkpointStates.GroupBy(c => c.Member).Select(g => g.First()).ToList()),
            // An optional member gives way to one the class already declares.
            FindLearningRateDeclared: !type.GetMembers(WellKnownNames.FindLearningRate).IsEmpty);
    }

    static bool IsCheckpointState(ITypeSymbol type) =>
        MetadataNames.Of(type) == WellKnownNames.CheckpointState || type.AllInterfaces.Any(i => MetadataNames.Of(i) == WellKnownNames.CheckpointState);

    static bool IsPartial(TypeDeclarationSyntax declaration) => declaration.Modifiers.Any(SyntaxKind.PartialKeyword);

    static List<ContainingTypeModel>? ContainingTypes(INamedTypeSymbol type)
    {
        var result = new List<ContainingTypeModel>();
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            if (outer.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not TypeDeclarationSyntax syntax || !IsPartial(syntax))
                return null;
            result.Insert(0, new ContainingTypeModel(Keyword(syntax), outer.Name + TypeParameters(outer)));
        }
        return result;
    }

    static string Keyword(TypeDeclarationSyntax declaration) => declaration switch
    {
        RecordDeclarationSyntax record when record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "record struct",
        RecordDeclarationSyntax => "record",
        StructDeclarationSyntax => "struct",
        InterfaceDeclarationSyntax => "interface",
        _ => "class",
    };

    static string TypeParameters(INamedTypeSymbol type) =>
        type.TypeParameters.Length == 0 ? "" : "<" + string.Join(", ", type.TypeParameters.Select(p => p.Name)) + ">";

    static string HintName(INamedTypeSymbol type)
    {
        var parts = new List<string>();
        for (ISymbol? s = type; s is INamedTypeSymbol t; s = t.ContainingType)
            parts.Insert(0, t.MetadataName.Replace('`', '_'));
        if (!type.ContainingNamespace.IsGlobalNamespace)
            parts.Insert(0, type.ContainingNamespace.ToDisplayString());
        return string.Join(".", parts) + ".Pipeline.g.cs";
    }

    static IMethodSymbol? Single(ImmutableArray<ISymbol> members, string attribute, out int count)
    {
        IMethodSymbol? found = null;
        count = 0;
        foreach (var member in members)
        {
            if (member is IMethodSymbol method && method.GetAttributes().Any(a => MetadataNames.Of(a.AttributeClass) == attribute))
            {
                found ??= method;
                count++;
            }
        }
        return found;
    }

    static bool IsEvaluationStep(IMethodSymbol? step, ITypeSymbol batch) =>
        step is null || (StepShapes.IsPlainMethod(step) && step.ReturnsVoid && step.Parameters.Length == 1
            && SymbolEqualityComparer.Default.Equals(step.Parameters[0].Type, batch));

    /// <summary>
    /// The names a step's body mentions, following the calls into the pipeline's own methods and
    /// properties (and its source base types'), so a metric updated through a helper belongs to
    /// the phase of every step that reaches it.
    /// </summary>
    static HashSet<string> IdentifiersIn(IMethodSymbol? step, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>();
        if (step is null)
            return names;
        var visited = new HashSet<ISymbol>(SymbolEqualityComparer.Default) { step };
        var pending = new Stack<ISymbol>();
        pending.Push(step);
        while (pending.Count > 0)
        {
            foreach (var reference in pending.Pop().DeclaringSyntaxReferences)
            {
                foreach (var name in reference.GetSyntax(cancellationToken).DescendantNodes().OfType<SimpleNameSyntax>())
                {
                    var text = name.Identifier.ValueText;
                    if (!names.Add(text))
                        continue;
                    for (var type = step.ContainingType; type is not null; type = type.BaseType)
                        foreach (var member in type.GetMembers(text))
                            if (member is IMethodSymbol or IPropertySymbol && visited.Add(member))
                                pending.Push(member);
                }
            }
        }
        return names;
    }

    static ITypeSymbol? MemberType(ISymbol member) => member switch
    {
        IFieldSymbol { IsStatic: false } field => field.Type,
        IPropertySymbol { IsStatic: false, GetMethod: not null, Parameters.Length: 0 } property => property.Type,
        _ => null,
    };

    static bool HasCallableMethod(ITypeSymbol type, string name)
    {
        for (ITypeSymbol? t = type; t is not null; t = t.BaseType)
            foreach (var member in t.GetMembers(name))
                if (member is IMethodSymbol { IsStatic: false, DeclaredAccessibility: Accessibility.Public } method && method.Parameters.All(p => p.IsOptional))
                    return true;
        return false;
    }

    static ITypeSymbol? MetricResult(ITypeSymbol type)
    {
        foreach (var candidate in type.AllInterfaces.Concat(type is INamedTypeSymbol { TypeKind: TypeKind.Interface } self ? new[] { self } : new INamedTypeSymbol[0]))
            if (MetadataNames.Of(candidate.OriginalDefinition) == WellKnownNames.Metric)
                return candidate.TypeArguments[0];
        return null;
    }

    static string Nullable(ITypeSymbol type)
    {
        var display = type.ToDisplayString(TypeFormat);
        var alreadyNullable = type.NullableAnnotation == NullableAnnotation.Annotated
            || type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;
        return alreadyNullable ? display : display + "?";
    }

    // Members of the generated record (and the record's own name) a hyperparameter may not shadow.
    static readonly HashSet<string> ReservedHyperparameterNames = new(WellKnownNames.ReservedHyperparameterProperties);

    static readonly HashSet<SpecialType> JsonNumbersAndText = new()
    {
        SpecialType.System_Boolean, SpecialType.System_SByte, SpecialType.System_Byte, SpecialType.System_Int16,
        SpecialType.System_UInt16, SpecialType.System_Int32, SpecialType.System_UInt32, SpecialType.System_Int64,
        SpecialType.System_UInt64, SpecialType.System_Single, SpecialType.System_Double, SpecialType.System_Decimal,
        SpecialType.System_String,
    };

    // Nullable<T> forms with a HyperparameterJson.Write overload they convert to (long?, double?, bool?).
    static readonly HashSet<SpecialType> JsonNullables = new()
    {
        SpecialType.System_Boolean, SpecialType.System_SByte, SpecialType.System_Byte, SpecialType.System_Int16,
        SpecialType.System_UInt16, SpecialType.System_Int32, SpecialType.System_UInt32, SpecialType.System_Int64,
        SpecialType.System_Single, SpecialType.System_Double,
    };

    static readonly SymbolDisplayFormat TypeOfFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .WithMiscellaneousOptions(SymbolDisplayFormat.FullyQualifiedFormat.MiscellaneousOptions & ~SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    static HyperparameterModel? Hyperparameter(ISymbol member, Compilation compilation, CancellationToken cancellationToken)
    {
        var type = member switch
        {
            IFieldSymbol field => field.Type,
            IPropertySymbol { GetMethod: not null, Parameters.Length: 0 } property => property.Type,
            _ => null,
        };
        if (type is null || type.IsRefLikeType || type.TypeKind == TypeKind.Pointer)
            return null;
        var underlying = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
            ? nullable.TypeArguments[0]
            : null;
        var writesJson = underlying is null ? JsonNumbersAndText.Contains(type.SpecialType) : JsonNullables.Contains(underlying.SpecialType);
        var propertyName = PropertyName(member.Name);
        // A static member is not per run: it is recorded, but not set from the command line.
        var option = member.IsStatic ? null : OptionModelBuilder.Build(member, type, propertyName, compilation, cancellationToken);
        return new HyperparameterModel(member.Name, propertyName, type.ToDisplayString(TypeFormat),
            type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeOfFormat), member.IsStatic,
            writesJson ? "Write" : "WriteText", option);
    }

    static string PropertyName(string member)
    {
        var name = member.TrimStart('_');
        return name.Length == 0 ? member : char.ToUpperInvariant(name[0]) + name.Substring(1);
    }

    static HandlerModel? Handler(ISymbol member, AttributeData attribute)
    {
        if (member is not IMethodSymbol method || !method.ReturnsVoid || method.IsGenericMethod || method.Parameters.Length > 1)
            return null;
        var takesState = method.Parameters.Length == 1;
        if (takesState && (method.Parameters[0].RefKind != RefKind.In || MetadataNames.Of(method.Parameters[0].Type) != WellKnownNames.PipelineState))
            return null;
        if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0] is not { Type: INamedTypeSymbol eventType, Value: int value })
            return null;
        var eventName = eventType.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value))?.Name;
        if (eventName is null)
            return null;

        int every = 0, once = 0, before = 0, after = -1;
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Value.Value is not int n)
                return null;
            switch (argument.Key)
            {
                case WellKnownNames.Every when n > 0: every = n; break;
                case WellKnownNames.Once when n > 0: once = n; break;
                case WellKnownNames.Before when n > 0: before = n; break;
                case WellKnownNames.After when n >= 0: after = n; break;
                default: return null;
            }
        }
        // Ignite: Once stands alone; Before/After must leave a non-empty range.
        if (once > 0 && (every > 0 || before > 0 || after >= 0))
            return null;
        if (before > 0 && before <= after + 1)
            return null;
        return new HandlerModel(method.Name, method.IsStatic, eventName, takesState, every, once, before, after);
    }
}
