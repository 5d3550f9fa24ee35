using System.Globalization;

namespace Pipelines.Checkpoints;

/// <summary>
/// The tensor keys of the safetensors part. Model weights keep PyTorch's state-dict names under
/// <c>model.&lt;name&gt;.</c>, so <c>{k[len("model.net."):]: v for k, v in tensors.items() if k.startswith("model.net.")}</c>
/// is a state dict that <c>net.load_state_dict</c> takes as is.
/// </summary>
internal static class CheckpointKeys
{
    /// <summary>The <c>__metadata__</c> entry holding the checkpoint's JSON document.</summary>
    internal const string Metadata = "pipelines.checkpoint";

    internal const string ModelPrefix = "model.";
    internal const string OptimizerPrefix = "optimizer.";
    internal const string StatePrefix = "state.";
    internal const string RngCpu = "rng.cpu";

    internal static string Model(string name, string key) => ModelPrefix + name + "." + key;

    internal static string Optimizer(string name, string key) => OptimizerPrefix + name + "." + key;

    internal static string State(string name, string key) => StatePrefix + name + "." + key;


    /// <summary>Names are C# member names in practice; dots would make key prefixes ambiguous.</summary>
    internal static void CheckName(string name, string what)
    {
        if (string.IsNullOrEmpty(name))
            throw new ArgumentException($"A {what} name cannot be empty.");
        foreach (var c in name)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                throw new ArgumentException($"{what} name '{name}': only ASCII letters, digits, '_' and '-' are allowed (it becomes a key prefix).");
    }
}
