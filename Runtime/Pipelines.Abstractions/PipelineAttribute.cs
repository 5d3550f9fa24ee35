using System;
using System.Diagnostics;

namespace Pipelines;

/// <summary>
/// Marks a <c>partial</c> class as a training pipeline: the source generator writes its
/// <c>Fit</c>, <c>Validate</c> and <c>Test</c> methods from the annotated members.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
[Conditional("PIPELINES_KEEP_ATTRIBUTES")]
public sealed class PipelineAttribute : Attribute
{
}
