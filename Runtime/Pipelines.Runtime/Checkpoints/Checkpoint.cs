using System.Globalization;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;
using Pipelines.Serialization;
using TorchSharp.Modules;


namespace Pipelines.Checkpoints;

/// <summary>
/// A checkpoint: one safetensors file holding every tensor (model weights under PyTorch's
/// state-dict names, optimizer state, random generator states, components' tensors) whose
/// <c>__metadata__</c> entry <c>pipelines.checkpoint</c> is a JSON document with the format
/// version, the counters, the optimizers' parameter groups, the components' states and the
/// hyperparameters. One file makes the write atomic with one rename (see <see cref="Save"/>).
/// <see cref="Load"/> reads and checks a file; <see cref="Restore"/> checks it against the
/// targets and only then loads it. The loaded instance owns its tensors: dispose it.
/// </summary>
public sealed class Checkpoint : IDisposable
{
    /// <summary>The format version this library writes and reads.</summary>
    public const int FormatVersion = 2;

    /// <summary>The value of the document's <c>format</c> field.</summary>
    public const string FormatName = "pipelines.checkpoint";

    readonly Dictionary<string, Tensor> tensors;
    readonly JsonDocument document;
    readonly Dictionary<string, JsonElement> optimizers;
    readonly Dictionary<string, JsonElement> states;
    readonly List<string> models;
    bool disposed;

    Checkpoint(string filePath, Dictionary<string, Tensor> tensors, JsonDocument document, CheckpointCounters counters,
        List<string> models, Dictionary<string, JsonElement> optimizers, Dictionary<string, JsonElement> states,
        CheckpointHyperparameters hyperparameters)
    {
        FilePath = filePath;
        this.tensors = tensors;
        this.document = document;
        Counters = counters;
        this.models = models;
        this.optimizers = optimizers;
        this.states = states;
        Hyperparameters = hyperparameters;
    }

    /// <summary>The file this checkpoint was read from.</summary>
    public string FilePath { get; }

    /// <summary>Where the saved run stood.</summary>
    public CheckpointCounters Counters { get; }

    /// <summary>The recorded hyperparameters.</summary>
    public CheckpointHyperparameters Hyperparameters { get; }

    /// <summary>The saved models' names.</summary>
    public IReadOnlyList<string> ModelNames => models;

    /// <summary>The saved optimizers' names.</summary>
    public IReadOnlyCollection<string> OptimizerNames => optimizers.Keys;

    /// <summary>The saved components' names.</summary>
    public IReadOnlyCollection<string> StateNames => states.Keys;

    /// <summary>Whether the random generators' states were saved.</summary>
    public bool HasRandomState => tensors.ContainsKey(CheckpointKeys.RngCpu);

    /// <summary>Every tensor of the file by key (CPU tensors owned by this checkpoint).</summary>
    public IReadOnlyDictionary<string, Tensor> Tensors
    {
        get
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return tensors;
        }
    }

    // ---- save -----------------------------------------------------------------------------

    /// <summary>
    /// Writes <paramref name="contents"/>' current state to <paramref name="path"/> atomically: the
    /// file is written under a temporary name in the same directory, flushed to disk (fsync),
    /// renamed over <paramref name="path"/>, and the directory is fsynced. A crash or kill at any
    /// moment leaves either the previous file or the new one under <paramref name="path"/>, never a
    /// torn one (at worst a stray <c>.*.tmp</c> file beside it).
    /// </summary>
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
            var full = Path.GetFullPath(path);
            Safetensors.Save(tensors, full, metadata);
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
        contents.Hyperparameters.Write(writer);
        writer.WriteEndObject();
    }

    // ---- load -----------------------------------------------------------------------------

    /// <summary>
    /// Reads a checkpoint and checks it on its own: the safetensors structure, the format and
    /// version, the document's fields, and that every tensor key belongs to a listed model,
    /// optimizer, component or generator. Nothing is loaded into any model here.
    /// </summary>
    /// <exception cref="CheckpointException">When the file is truncated, corrupt, of another version or inconsistent; the message names the file and the key.</exception>
    /// <exception cref="FileNotFoundException">When there is no file at <paramref name="path"/>.</exception>
    public static Checkpoint Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var tensors = ReadTensors(path, out var metadata);
        JsonDocument? document = null;
        try
        {
            if (!metadata.TryGetValue(CheckpointKeys.Metadata, out var json))
                throw new CheckpointException(path, "__metadata__." + CheckpointKeys.Metadata,
                    "missing: this is a safetensors file but not a Pipelines checkpoint (load plain weights with Checkpoint.LoadModelWeights or nn.Module.load).");
            try
            {
                document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            }
            catch (JsonException e)
            {
                throw new CheckpointException(path, "__metadata__." + CheckpointKeys.Metadata, "not valid JSON: " + e.Message, e);
            }
            var checkpoint = Parse(path, tensors, document);
            document = null;
            return checkpoint;
        }
        catch
        {
            document?.Dispose();
            foreach (var t in tensors.Values)
                t.Dispose();
            throw;
        }
    }

    static Dictionary<string, Tensor> ReadTensors(string path, out Dictionary<string, string> metadata)
    {
        try
        {
            return Safetensors.Load(path, out metadata);
        }
        // InvalidOperationException: System.Text.Json refuses a header string that is not valid
        // UTF-8 with it (Safetensors.ReadHeader lets it through); ArgumentException: a name
        // that breaks a dictionary or path rule. Both mean a corrupt file here.
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or System.Runtime.InteropServices.ExternalException or OverflowException
                                      or InvalidOperationException or ArgumentException or FormatException
                                      || (e is IOException && e is not FileNotFoundException and not DirectoryNotFoundException))
        {
            var message = e.Message.StartsWith(path + ": ", StringComparison.Ordinal) ? e.Message[(path.Length + 2)..] : e.Message;
            throw new CheckpointException(path, null, message, e);
        }
    }

    static Checkpoint Parse(string path, Dictionary<string, Tensor> tensors, JsonDocument document)
    {
        CheckpointException Bad(string key, string message) => new(path, key, message);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw Bad(CheckpointKeys.Metadata, $"the document is a JSON {root.ValueKind}, not an object.");
        JsonElement Field(JsonElement parent, string name, JsonValueKind kind, string context)
        {
            if (!parent.TryGetProperty(name, out var value))
                throw Bad(context + name, "missing.");
            if (value.ValueKind != kind)
                throw Bad(context + name, $"expected a JSON {kind}, found {JsonValues.Describe(value)}.");
            return value;
        }
        int Count(JsonElement parent, string name, string context)
        {
            var value = Field(parent, name, JsonValueKind.Number, context);
            return value.TryGetInt32(out var n) && n >= 0 ? n : throw Bad(context + name, $"expected a non-negative integer, found {JsonValues.Describe(value)}.");
        }

        if (!root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != FormatName)
            throw Bad("format", $"expected \"{FormatName}\": not a Pipelines checkpoint.");
        if (!root.TryGetProperty("version", out var versionElement) || !versionElement.TryGetInt32(out var version))
            throw Bad("version", "missing or not an integer.");
        if (version != FormatVersion)
            throw Bad("version", string.Create(CultureInfo.InvariantCulture,
                $"format version {version}, but this Pipelines reads version {FormatVersion} {(version > FormatVersion ? "(written by a newer Pipelines: upgrade to load it)." : "(an older format: no reader for it is included).")}"));

        var countersElement = Field(root, "counters", JsonValueKind.Object, "");
        var counters = new CheckpointCounters(
            Count(countersElement, "epoch", "counters."), Count(countersElement, "iteration", "counters."),
            Count(countersElement, "epoch_iteration", "counters."), Count(countersElement, "optimizer_steps", "counters."));

        var models = new List<string>();
        foreach (var item in Field(root, "models", JsonValueKind.Array, "").EnumerateArray())
        {
            var name = item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Bad("models", $"holds {JsonValues.Describe(item)}, not a name.");
            CheckName(path, name, "models");
            if (models.Contains(name))
                throw Bad("models." + name, "listed twice.");
            models.Add(name);
        }

        var optimizers = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in Field(root, "optimizers", JsonValueKind.Object, "").EnumerateObject())
        {
            CheckName(path, property.Name, "optimizers");
            var context = "optimizers." + property.Name + ".";
            if (property.Value.ValueKind != JsonValueKind.Object)
                throw Bad("optimizers." + property.Name, "not a JSON object.");
            Field(property.Value, "type", JsonValueKind.String, context);
            Field(property.Value, "param_groups", JsonValueKind.Array, context);
            if (!optimizers.TryAdd(property.Name, property.Value))
                throw Bad("optimizers." + property.Name, "listed twice.");
        }

        var random = Field(root, "random", JsonValueKind.Object, "");
        var randomCpu = random.TryGetProperty("cpu", out var cpuElement) && cpuElement.ValueKind == JsonValueKind.True;

        var states = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in Field(root, "states", JsonValueKind.Object, "").EnumerateObject())
        {
            CheckName(path, property.Name, "states");
            if (property.Value.ValueKind != JsonValueKind.Object)
                throw Bad("states." + property.Name, "not a JSON object.");
            if (!states.TryAdd(property.Name, property.Value))
                throw Bad("states." + property.Name, "listed twice.");
        }

        CheckpointHyperparameters hyperparameters;
        try
        {
            hyperparameters = CheckpointHyperparameters.Read(Field(root, "hyperparameters", JsonValueKind.Object, ""));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw Bad("hyperparameters", e.Message);
        }

        // Every tensor must belong somewhere: a stray key means a corrupt or hand-edited file.
        foreach (var (key, tensor) in tensors)
        {
            if (key == CheckpointKeys.RngCpu)
            {
                if (!randomCpu)
                    throw Bad(key, "a CPU generator state, but the document says none was saved.");
                if (tensor.dtype != ScalarType.Byte || tensor.ndim != 1)
                    throw Bad(key, $"a generator state must be a 1-D uint8 tensor, not [{string.Join(", ", tensor.shape)}] {tensor.dtype}.");
                continue;
            }
            if (!(Owner(key, CheckpointKeys.ModelPrefix) is { } model && models.Contains(model))
                && !(Owner(key, CheckpointKeys.OptimizerPrefix) is { } optimizer && optimizers.ContainsKey(optimizer))
                && !(Owner(key, CheckpointKeys.StatePrefix) is { } state && states.ContainsKey(state)))
                throw Bad(key, "unexpected key: it belongs to no model, optimizer, component or generator listed in the document.");
        }
        if (randomCpu && !tensors.ContainsKey(CheckpointKeys.RngCpu))
            throw Bad(CheckpointKeys.RngCpu, "missing: the document says the CPU generator state was saved.");

        return new Checkpoint(path, tensors, document, counters, models, optimizers, states, hyperparameters);
    }

    static void CheckName(string path, string name, string section)
    {
        try
        {
            CheckpointKeys.CheckName(name, section);
        }
        catch (ArgumentException e)
        {
            throw new CheckpointException(path, section + "." + name, e.Message);
        }
    }

    static string? Owner(string key, string prefix)
    {
        if (!key.StartsWith(prefix, StringComparison.Ordinal))
            return null;
        var dot = key.IndexOf('.', prefix.Length);
        return dot > prefix.Length && dot < key.Length - 1 ? key[prefix.Length..dot] : null;
    }

    // ---- restore --------------------------------------------------------------------------

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

    static string List(IEnumerable<string> names)
    {
        var text = string.Join(", ", names);
        return text.Length == 0 ? "none" : text;
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

    // ---- weights only -----------------------------------------------------------------------

    /// <summary>
    /// The saved state dict of model <paramref name="name"/> under PyTorch's keys (no prefix). The
    /// tensors belong to this checkpoint: do not dispose them, and copy what must outlive it.
    /// </summary>
    /// <exception cref="KeyNotFoundException">When the checkpoint has no such model.</exception>
    public Dictionary<string, Tensor> ModelStateDict(string name)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (!models.Contains(name))
            throw new KeyNotFoundException($"{FilePath}: no model '{name}' (it has: {List(models)}).");
        var prefix = CheckpointKeys.Model(name, "");
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, tensor) in tensors)
            if (key.StartsWith(prefix, StringComparison.Ordinal))
                result.Add(key[prefix.Length..], tensor);
        return result;
    }

    /// <summary>
    /// Loads only the weights of model <paramref name="name"/> into <paramref name="module"/>
    /// (for inference or fine-tuning), checked first like <see cref="Restore"/> checks a model.
    /// </summary>
    /// <exception cref="CheckpointException">When the checkpoint has no such model or its keys, shapes or dtypes do not fit.</exception>
    public void LoadModel(string name, nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        ObjectDisposedException.ThrowIf(disposed, this);
        if (!models.Contains(name))
            throw new CheckpointException(FilePath, "models." + name, $"missing: the checkpoint has no model '{name}' (it has: {List(models)}).");
        var problems = new List<(string Key, string Message)>();
        CheckModel(CheckpointKeys.Model(name, ""), module, problems);
        ThrowIfAny(FilePath, problems);
        module.load_state_dict(ModelStateDict(name), strict: true);
    }

    /// <summary>
    /// Loads weights into <paramref name="module"/> from a checkpoint (model <paramref name="name"/>,
    /// or its only model when null) or from a plain safetensors state dict such as Python's
    /// <c>safetensors.torch.save_file(model.state_dict(), path)</c> writes: every key present, none
    /// unexpected, shapes and dtypes equal, checked before anything is copied.
    /// </summary>
    /// <exception cref="CheckpointException">When the file is malformed or its tensors do not fit the module; the message names the file and the key.</exception>
    public static void LoadModelWeights(string path, nn.Module module, string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(module);
        var tensors = ReadTensors(path, out var metadata);
        if (metadata.ContainsKey(CheckpointKeys.Metadata))
        {
            foreach (var t in tensors.Values)
                t.Dispose();
            using var checkpoint = Load(path);
            var model = name ?? (checkpoint.models.Count == 1
                ? checkpoint.models[0]
                : throw new CheckpointException(path, "models", $"the checkpoint has {checkpoint.models.Count} models ({List(checkpoint.models)}): name the one to load."));
            checkpoint.LoadModel(model, module);
            return;
        }
        using var plain = new Checkpoint(path, tensors, JsonDocument.Parse("{}"), default, [""], [], [], new());
        var problems = new List<(string Key, string Message)>();
        plain.CheckModel("", module, problems);
        ThrowIfAny(path, problems);
        module.load_state_dict(tensors, strict: true);
    }

    static void ThrowIfAny(string path, List<(string Key, string Message)> problems)
    {
        if (problems.Count == 0)
            return;
        const int shown = 20;
        var message = $"does not fit the model ({problems.Count} problem(s); nothing was loaded): " +
            string.Join("; ", problems.Take(shown).Select(p => $"'{p.Key}': {p.Message}")) + (problems.Count > shown ? "; ..." : "");
        throw new CheckpointException(path, problems[0].Key, message);
    }

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        foreach (var t in tensors.Values)
            t.Dispose();
        tensors.Clear();
        document.Dispose();
    }
}
