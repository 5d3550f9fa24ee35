namespace Pipelines.Generators.Model;

/// <summary>How a type is declared: the keyword its generated partial repeats.</summary>
internal enum DeclarationKind
{
    /// <summary><c>class</c>.</summary>
    Class,

    /// <summary><c>record</c> (a record class).</summary>
    Record,

    /// <summary><c>struct</c>.</summary>
    Struct,

    /// <summary><c>record struct</c>.</summary>
    RecordStruct,

    /// <summary><c>interface</c>.</summary>
    Interface,
}
