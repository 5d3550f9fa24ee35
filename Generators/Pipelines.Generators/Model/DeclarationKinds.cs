namespace Pipelines.Generators.Model;

/// <summary>What a <see cref="DeclarationKind"/> means for generated code.</summary>
internal static class DeclarationKinds
{
    /// <summary>The keyword a partial declaration of the kind starts with.</summary>
    public static string Keyword(this DeclarationKind kind) => kind switch
    {
        DeclarationKind.Record => "record",
        DeclarationKind.Struct => "struct",
        DeclarationKind.RecordStruct => "record struct",
        DeclarationKind.Interface => "interface",
        _ => "class",
    };

    /// <summary>Whether the kind is a value type (no generated constructor from hyperparameters).</summary>
    public static bool IsValueType(this DeclarationKind kind) => kind is DeclarationKind.Struct or DeclarationKind.RecordStruct;
}
