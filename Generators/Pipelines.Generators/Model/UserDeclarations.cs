using System;

namespace Pipelines.Generators.Model;

/// <summary>Generated members the class already declares itself (the generator then emits none).</summary>
[Flags]
internal enum UserDeclarations
{
    /// <summary>None of them.</summary>
    None = 0,

    /// <summary>A parameterless <c>Dispose()</c>.</summary>
    Dispose = 1,

    /// <summary>An explicit instance constructor.</summary>
    Constructor = 2,

    /// <summary>The constructor from <c>Hyperparameters</c>.</summary>
    HyperparameterConstructor = 4,

    /// <summary>A member named <c>FindLearningRate</c>.</summary>
    FindLearningRate = 8,
}
