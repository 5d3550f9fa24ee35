using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Checkpoints;

public sealed partial class Checkpoint
{
    /// <summary>
    /// Loads this checkpoint into <paramref name="target"/>'s models, optimizers, random
    /// generators and components. Everything is checked first: the same model, optimizer and
    /// component names; every model key present, none unexpected, each with the model's shape
    /// and dtype; each optimizer's type, parameter groups and state shapes and dtypes; each
    /// component's <see cref="ICheckpointState.ValidateState"/>. On any mismatch nothing is
    /// loaded and the error names the file and every key at fault. Then the optimizers are
    /// loaded (an optimizer that still refuses rolls the earlier ones back), the models, the
    /// generators (CPU; CUDA ones for the devices present) and the components. The counters and
    /// hyperparameters are not applied: the engine reads <see cref="Counters"/>.
    /// </summary>
    /// <exception cref="CheckpointException">When the checkpoint does not fit <paramref name="target"/>.</exception>
    public void Restore(CheckpointContents target)
    {
        ArgumentNullException.ThrowIfNull(target);
        ObjectDisposedException.ThrowIf(disposed, this);
        var problems = new List<(string Key, string Message)>();

        CompareNames(models, target.Models.Keys, "model", problems);
        foreach (var (name, module) in target.Models)
            if (models.Contains(name))
                CheckModel(CheckpointKeys.Model(name, ""), module, problems);

        CompareNames(optimizers.Keys, target.Optimizers.Keys, "optimizer", problems);
        foreach (var (name, optimizer) in target.Optimizers)
            if (optimizers.TryGetValue(name, out var element))
                OptimizerCheckpoint.Check(name, element, optimizer, tensors, problems);

        if (target.IncludeRandomState && HasRandomState)
            CheckRandomState(problems);

        CompareNames(states.Keys, target.States.Keys, "state", problems);
        foreach (var (name, component) in target.States)
        {
            if (!states.TryGetValue(name, out var json))
                continue;
            try
            {
                component.ValidateState(Reader(name, json));
            }
            catch (CheckpointException e)
            {
                problems.Add((e.Key ?? "states." + name, StripLocation(e)));
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException or KeyNotFoundException or InvalidDataException)
            {
                problems.Add(("states." + name, e.Message));
            }
        }

        if (problems.Count > 0)
        {
            const int shown = 20;
            var message = $"does not fit what it is restored into ({problems.Count} problem(s); nothing was loaded): " +
                string.Join("; ", problems.Take(shown).Select(p => $"'{p.Key}': {p.Message}")) + (problems.Count > shown ? "; ..." : "");
            throw new CheckpointException(FilePath, problems[0].Key, message);
        }

        OptimizerCheckpoint.LoadAll(FilePath, target.Optimizers, tensors);
        foreach (var (name, module) in target.Models)
            module.load_state_dict(ModelStateDict(name), strict: true);
        if (target.IncludeRandomState && HasRandomState)
        {
            var cpu = tensors[CheckpointKeys.RngCpu];
            torch.random.set_rng_state(cpu);
            // TorchSharp cannot read or set a CUDA generator's state (dotnet/TorchSharp#1230): the CUDA
            // generators are seeded from the saved CPU state instead, so a resume is reproducible
            // (the same checkpoint always continues the same way) but CUDA-side random draws
            // (dropout on CUDA tensors) differ from those of the run that was never interrupted.
            if (torch.cuda.is_available())
                torch.cuda.manual_seed_all(ResumeSeed(cpu));
        }
        foreach (var (name, component) in target.States)
            component.LoadState(Reader(name, states[name]));
    }

    /// <summary>Checks the saved CPU generator state before it is set (libtorch's refusal would end the process).</summary>
    void CheckRandomState(List<(string, string)> problems)
    {
        if (CpuGeneratorState.Problem(tensors[CheckpointKeys.RngCpu]) is { } problem)
            problems.Add((CheckpointKeys.RngCpu, problem));
    }

    /// <summary>A seed for the CUDA generators that depends only on the saved CPU generator state (FNV-1a over its bytes).</summary>
    static long ResumeSeed(Tensor cpuState)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in cpuState.bytes)
            hash = (hash ^ b) * 1099511628211UL;
        return (long)(hash >> 1);
    }

    string StripLocation(CheckpointException e)
    {
        var prefix = e.Key is null ? FilePath + ": " : $"{FilePath}: '{e.Key}': ";
        return e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message;
    }

    CheckpointStateReader Reader(string name, JsonElement json)
    {
        var prefix = CheckpointKeys.State(name, "");
        var own = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, tensor) in tensors)
            if (key.StartsWith(prefix, StringComparison.Ordinal))
                own.Add(key[prefix.Length..], tensor);
        return new CheckpointStateReader(FilePath, name, json, own);
    }

    static void CompareNames(IEnumerable<string> saved, IEnumerable<string> wanted, string what, List<(string, string)> problems)
    {
        var savedSet = saved.ToHashSet(StringComparer.Ordinal);
        var wantedSet = wanted.ToHashSet(StringComparer.Ordinal);
        foreach (var name in wantedSet)
            if (!savedSet.Contains(name))
                problems.Add(($"{what}s.{name}", $"missing: the checkpoint has no {what} '{name}' (it has: {List(savedSet)})."));
        foreach (var name in savedSet)
            if (!wantedSet.Contains(name))
                problems.Add(($"{what}s.{name}", $"unexpected: the checkpoint has a {what} '{name}' that is not restored here (expected: {List(wantedSet)})."));
    }

    /// <summary>Checks the tensors under <paramref name="prefix"/> against the module's state dict: keys, shapes, dtypes.</summary>
    void CheckModel(string prefix, nn.Module module, List<(string, string)> problems)
    {
        // The module's live parameters and buffers: read, never disposed.
        var expected = module.state_dict();
        foreach (var (key, target) in expected)
        {
            var full = prefix + key;
            if (!tensors.TryGetValue(full, out var saved))
            {
                problems.Add((full, $"missing key: the model has [{string.Join(", ", target.shape)}] {target.dtype}."));
                continue;
            }
            if (!saved.shape.AsSpan().SequenceEqual(target.shape))
                problems.Add((full, $"shape mismatch: the checkpoint has [{string.Join(", ", saved.shape)}], the model [{string.Join(", ", target.shape)}]."));
            if (saved.dtype != target.dtype)
                problems.Add((full, $"dtype mismatch: the checkpoint has {saved.dtype}, the model {target.dtype}."));
        }
        foreach (var key in tensors.Keys)
            if (key.StartsWith(prefix, StringComparison.Ordinal) && !expected.ContainsKey(key[prefix.Length..]))
                problems.Add((key, "unexpected key: the model has no such parameter or buffer."));
    }
}
