using System;
using System.Diagnostics;

namespace Pipelines;

/// <summary>A setting of the pipeline (learning rate, batch size) recorded with its results.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = false)]
[Conditional("PIPELINES_KEEP_ATTRIBUTES")]
public sealed class HyperparameterAttribute : Attribute
{
}
