namespace Pipelines.Analyzers;

/// <summary>What the body checks ask of any operation: past implicit conversions, the symbol it names, the loop around it.</summary>
internal static class OperationFacts
{
    public static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
            operation = conversion.Operand;
        return operation;
    }

    public static ILoopOperation? EnclosingLoop(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is ILoopOperation loop)
                return loop;
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                return null;
        }
        return null;
    }

    public static ISymbol? Referenced(IOperation? operation) => operation is null ? null : Unwrap(operation) switch
    {
        IFieldReferenceOperation field => field.Field,
        IPropertyReferenceOperation property => property.Property,
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        _ => null,
    };

    public static bool SameSymbol(ISymbol? a, ISymbol? b) => a is not null && SymbolEqualityComparer.Default.Equals(a, b);
}
