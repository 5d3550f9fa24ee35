using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Pipelines.Rules;

namespace Pipelines.Generators.Model;

/// <summary>Which members are callbacks: their type implements the callback interfaces of <see cref="EventTable"/>, or keeps best checkpoints.</summary>
internal static class CallbackModelBuilder
{
    /// <summary>
    /// An instance field or auto-property (not a [Model], [Optimizer], [Metric] or [Hyperparameter])
    /// whose type takes events or keeps best checkpoints; null for any other member. A computed
    /// property (<c>public EarlyStopping Early => early;</c>) only shows a callback, so it is not one.
    /// </summary>
    public static CallbackModel? Build(ISymbol member, int order, ImmutableArray<AttributeData> attributes, EventTable events)
    {
        if (member.IsImplicitlyDeclared || !HoldsState(member) || PipelineRules.MemberType(member) is not { } type)
            return null;
        if (IsOwned(attributes) || attributes.Any(a => MetadataNames.Of(a.AttributeClass) == WellKnownNames.HyperparameterAttribute))
            return null;
        var taken = events.Events.Where(e => Implements(type, e.HandlerInterface)).ToList();
        var keeper = MetadataNames.DerivesFrom(type, WellKnownNames.BestCheckpoints);
        if (taken.Count == 0 && !keeper)
            return null;
        return new CallbackModel(member.Name, type.Name, order, new EquatableArray<EventDescriptor>(taken), keeper);
    }

    /// <summary>Whether the attributes make the member one the pipeline owns: a [Model], [Optimizer] or [Metric].</summary>
    public static bool IsOwned(ImmutableArray<AttributeData> attributes) =>
        attributes.Any(a => MetadataNames.Of(a.AttributeClass) is WellKnownNames.ModelAttribute or WellKnownNames.OptimizerAttribute or WellKnownNames.MetricAttribute);

    public static bool Implements(ITypeSymbol type, string interfaceName) =>
        MetadataNames.Of(type) == interfaceName || type.AllInterfaces.Any(i => MetadataNames.Of(i) == interfaceName);

    static bool HoldsState(ISymbol member) => member switch
    {
        IFieldSymbol field => !field.IsConst,
        IPropertySymbol property => HyperparameterConstructor.IsAutoProperty(property),
        _ => false,
    };
}
