using Pipelines.Torch.Serialization;

namespace Pipelines.Torch;

public static partial class torch
{
    /// <summary>
    /// Saves named tensors, with optional string metadata, as a safetensors file that Python's
    /// <c>safetensors</c> reads; the write is atomic. See <see cref="Safetensors.Save"/>.
    /// </summary>
    public static void save(IReadOnlyDictionary<string, Tensor> tensors, string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        Safetensors.Save(tensors, path, metadata);

    /// <summary>Loads every tensor of a safetensors file (CPU tensors; the caller disposes them).</summary>
    /// <exception cref="InvalidDataException">When the file is malformed; the message names the file and the tensor.</exception>
    public static Dictionary<string, Tensor> load(string path) => Safetensors.Load(path);

    /// <summary>Loads every tensor of a safetensors file and its metadata.</summary>
    /// <exception cref="InvalidDataException">When the file is malformed; the message names the file and the tensor.</exception>
    public static Dictionary<string, Tensor> load(string path, out Dictionary<string, string> metadata) => Safetensors.Load(path, out metadata);
}
