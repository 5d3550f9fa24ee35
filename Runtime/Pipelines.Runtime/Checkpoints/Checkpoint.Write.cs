using System.Text.Json;
using Pipelines.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Checkpoints;

public sealed partial class Checkpoint
{
    /// <summary>
    /// Writes <paramref name="contents"/>' current state to <paramref name="path"/> atomically: the
    /// file is written under a temporary name in the same directory, flushed to disk (fsync),
    /// renamed over <paramref name="path"/>, and the directory is fsynced. A crash or kill at any
    /// moment leaves either the previous file or the new one under <paramref name="path"/>, never a
    /// torn one (at worst a stray <c>.*.tmp</c> file beside it). The file records the SHA-256 of its
    /// metadata and of every tensor (<see cref="Load"/> verifies them).
    /// </summary>
    /// <exception cref="IOException">When the file cannot be written (a full disk, a write error); the message names it, and the previous file is unchanged.</exception>
    /// <exception cref="ArgumentException">When a name is empty, contains characters other than letters, digits, '_' and '-', or a state writes a tensor twice.</exception>
    public static void Save(string path, CheckpointContents contents)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(contents);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var owned = new List<Tensor>();
        try
        {
            var json = JsonValues.Text(writer => WriteDocument(writer, contents, tensors, owned));
            var metadata = new Dictionary<string, string> { [CheckpointKeys.Metadata] = json, ["format"] = "pt" };
            CheckpointChecksums.Sign(tensors, metadata);
            var full = Path.GetFullPath(path);
            try
            {
                Safetensors.Save(tensors, full, metadata);
            }
            catch (IOException e)
            {
                // A full disk, a quota, a write error: the temporary file is gone, the target untouched.
                throw new IOException($"{full}: the checkpoint could not be written ({e.Message}); the previous file at this path, if any, is unchanged.", e);
            }
            DirectorySync.Flush(Path.GetDirectoryName(full) ?? ".");
        }
        finally
        {
            foreach (var t in owned)
                t.Dispose();
        }
    }

    static void WriteDocument(Utf8JsonWriter writer, CheckpointContents contents, Dictionary<string, Tensor> tensors,
        List<Tensor> owned)
    {
        writer.WriteStartObject();
        writer.WriteString("format", FormatName);
        writer.WriteNumber("version", FormatVersion);

        var c = contents.Counters;
        writer.WriteStartObject("counters");
        writer.WriteNumber("epoch", c.Epoch);
        writer.WriteNumber("iteration", c.Iteration);
        writer.WriteNumber("epoch_iteration", c.EpochIteration);
        writer.WriteNumber("optimizer_steps", c.OptimizerSteps);
        writer.WriteEndObject();

        writer.WriteStartArray("models");
        foreach (var (name, module) in contents.Models)
        {
            CheckpointKeys.CheckName(name, "model");
            ArgumentNullException.ThrowIfNull(module, nameof(contents));
            // The live parameters and buffers (TorchSharp's state_dict does not copy): written, never disposed.
            var state = module.state_dict();
            foreach (var (key, tensor) in state)
                tensors.Add(CheckpointKeys.Model(name, key), tensor);
            writer.WriteStringValue(name);
        }
        writer.WriteEndArray();

        writer.WriteStartObject("optimizers");
        foreach (var (name, optimizer) in contents.Optimizers)
        {
            CheckpointKeys.CheckName(name, "optimizer");
            ArgumentNullException.ThrowIfNull(optimizer, nameof(contents));
            var state = OptimizerCheckpoint.Write(name, optimizer, writer);
            owned.Add(state);
            tensors.Add(CheckpointKeys.Optimizer(name, OptimizerCheckpoint.StateKey), state);
        }
        writer.WriteEndObject();

        writer.WriteStartObject("random");
        if (contents.IncludeRandomState)
        {
            var cpu = torch.random.get_rng_state();
            owned.Add(cpu);
            tensors.Add(CheckpointKeys.RngCpu, cpu);
            writer.WriteBoolean("cpu", true);
        }
        else
        {
            writer.WriteBoolean("cpu", false);
        }
        writer.WriteEndObject();

        writer.WriteStartObject("states");
        foreach (var (name, component) in contents.States)
        {
            CheckpointKeys.CheckName(name, "state");
            ArgumentNullException.ThrowIfNull(component, nameof(contents));
            writer.WriteStartObject(name);
            component.SaveState(new CheckpointStateWriter(name, writer, tensors));
            writer.WriteEndObject();
        }
        writer.WriteEndObject();

        writer.WritePropertyName("hyperparameters");
        contents.Hyperparameters.WriteJson(writer);
        writer.WriteEndObject();
    }
}
