using System;

namespace Pipelines.Generators.Model;

/// <summary>The phases whose step updates a metric.</summary>
[Flags]
internal enum MetricPhases
{
    /// <summary>No phase.</summary>
    None = 0,

    /// <summary>The [TrainingStep] (<c>train/</c> keys).</summary>
    Training = 1,

    /// <summary>The [ValidationStep] (<c>val/</c> keys).</summary>
    Validation = 2,

    /// <summary>The [TestStep] (<c>test/</c> keys).</summary>
    Test = 4,
}
