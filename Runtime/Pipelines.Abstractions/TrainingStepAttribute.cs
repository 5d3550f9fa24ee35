using System;
using System.Diagnostics;

namespace Pipelines;

/// <summary>The training step: takes one batch and returns the loss (the engine runs backward and the optimizer step), or returns <c>void</c> for manual optimization.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
[Conditional("PIPELINES_KEEP_ATTRIBUTES")]
public sealed class TrainingStepAttribute : Attribute
{
}
