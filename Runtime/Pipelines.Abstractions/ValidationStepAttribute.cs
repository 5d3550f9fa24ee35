using System;
using System.Diagnostics;

namespace Pipelines;

/// <summary>The validation step: takes one batch and updates metrics; the engine runs it in eval mode inside <c>no_grad</c>.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
[Conditional("PIPELINES_KEEP_ATTRIBUTES")]
public sealed class ValidationStepAttribute : Attribute
{
}
