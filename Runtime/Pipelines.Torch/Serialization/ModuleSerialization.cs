using Pipelines.Torch.Serialization;

namespace Pipelines.Torch.Modules;

/// <summary>Saves and loads a module's state dict as a safetensors file.</summary>
public static class ModuleSerialization
{
    /// <summary>Writes the module's <see cref="Module.state_dict"/> to <paramref name="path"/> (atomically), with optional metadata.</summary>
    public static void save(this Module module, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        var state = module.state_dict();
        try
        {
            Safetensors.Save(state, path, metadata);
        }
        finally
        {
            foreach (var t in state.Values)
                t.Dispose();
        }
    }

    /// <summary>
    /// Loads a safetensors file into the module through <see cref="Module.load_state_dict"/>
    /// (checked before anything is copied; <paramref name="strict"/> rejects missing and unexpected keys).
    /// </summary>
    /// <exception cref="InvalidDataException">When the file is malformed.</exception>
    /// <exception cref="ArgumentException">When the file's tensors do not fit the module; the message names the file.</exception>
    public static void load(this Module module, string path, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        var state = Safetensors.Load(path);
        try
        {
            module.load_state_dict(state, strict);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{path}: {e.Message}", nameof(path), e);
        }
        finally
        {
            foreach (var t in state.Values)
                t.Dispose();
        }
    }
}
