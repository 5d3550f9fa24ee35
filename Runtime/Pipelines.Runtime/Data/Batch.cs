using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Data;

/// <summary>One supervised batch: inputs and their targets (a struct: fetching one allocates no managed object beyond its tensors).</summary>
/// <param name="Input">The inputs, batch dimension first.</param>
/// <param name="Target">The targets, batch dimension first.</param>
public readonly record struct Batch(Tensor Input, Tensor Target);
