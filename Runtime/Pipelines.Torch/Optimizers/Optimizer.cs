using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Pipelines.Torch.Modules;
using Pipelines.Torch.Native;
using Pipelines.Torch.Serialization;

namespace Pipelines.Torch.Optimizers;

/// <summary>
/// The base of every optimizer (PyTorch's <c>torch.optim.Optimizer</c>): parameter groups with
/// their own hyperparameters, per-parameter state owned here, one native call per group and
/// step, and state dicts that resume a run exactly. A step allocates no managed memory once
/// every parameter's state exists.
/// </summary>
public abstract class Optimizer : IDisposable
{
    readonly List<ParamGroup> groups = new();
    readonly List<GroupState> states = new();
    readonly string name;
    readonly string[] slotNames;
    readonly bool countsSteps;
    IntPtr[] allHandles = [];
    bool disposed;

    private protected Optimizer(string name, OptimizerOptions defaults, string[] slotNames, bool countsSteps, IEnumerable<ParamGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        this.name = name;
        this.defaults = defaults;
        this.slotNames = slotNames;
        this.countsSteps = countsSteps;
        foreach (var group in groups)
            add_param_group(group);
        if (this.groups.Count == 0)
            throw new ArgumentException($"{name} got an empty parameter list.", nameof(groups));
    }

    /// <summary>The hyperparameters a group gets when it brings none of its own.</summary>
    public OptimizerOptions defaults { get; }

    /// <summary>The parameter groups, in the order they were added.</summary>
    public IReadOnlyList<ParamGroup> param_groups => groups;

    /// <summary>Adds a group of parameters with its own hyperparameters (e.g. a layer to fine-tune).</summary>
    /// <exception cref="ArgumentException">When the group is empty, has the wrong options type, or shares a parameter with another group.</exception>
    public void add_param_group(ParamGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        ObjectDisposedException.ThrowIf(disposed, this);
        if (group.Items.Length == 0)
            throw new ArgumentException($"{name}: a parameter group needs at least one parameter.", nameof(group));
        var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        foreach (var g in groups)
            foreach (var p in g.Items)
                seen.Add(p);
        foreach (var p in group.Items)
            if (!seen.Add(p))
                throw new ArgumentException($"{name}: a parameter appears in more than one parameter group (or twice in one).", nameof(group));
        group.Bind(defaults, name, CheckOptions);
        groups.Add(group);
        states.Add(new GroupState(slotNames.Length, group.Items.Length));
        allHandles = new IntPtr[groups.Sum(g => g.Items.Length)];
    }

    /// <summary>Clears the gradients of every parameter: to none (the default, as in PyTorch 2), or to zero.</summary>
    public unsafe void zero_grad(bool set_to_none = true)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var n = 0;
        for (var g = 0; g < groups.Count; g++)
        {
            var items = groups[g].Items;
            for (var i = 0; i < items.Length; i++)
                allHandles[n++] = items[i].Handle.DangerousGetHandle();
        }
        fixed (IntPtr* p = allHandles)
            LibTorch.Check(LibTorch.pt_zero_grad(p, n, set_to_none));
        GC.KeepAlive(groups);
    }

    /// <summary>Updates every parameter that has a gradient, one native call per group.</summary>
    public void step()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        for (var g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            var state = states[g];
            state.Prepare(group.Items);
            try
            {
                LibTorch.Check(StepGroup(group.options, state));
            }
            finally
            {
                state.AdoptNewState();
                GC.KeepAlive(group);
            }
        }
    }

    /// <summary>Rejects invalid hyperparameters of a group (a negative learning rate, ...).</summary>
    private protected abstract void CheckOptions(OptimizerOptions options);

    /// <summary>Runs the native step of one group over <paramref name="state"/>'s prepared handle arrays.</summary>
    private protected abstract int StepGroup(OptimizerOptions options, GroupState state);

    /// <summary>
    /// A snapshot of the hyperparameters and per-parameter state (copies: later steps do not
    /// change it). Keys follow PyTorch: parameters are numbered across groups in order, and a
    /// state tensor is named <c>state.{index}.{name}</c>, e.g. <c>state.0.exp_avg</c>.
    /// </summary>
    public OptimizerStateDict state_dict()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var tensors = new Dictionary<string, Tensor>();
        try
        {
            var index = 0;
            for (var g = 0; g < groups.Count; g++)
            {
                var state = states[g];
                for (var i = 0; i < groups[g].Items.Length; i++, index++)
                {
                    var hasState = false;
                    for (var k = 0; k < slotNames.Length; k++)
                    {
                        if (state.Slots[k][i] is not { } t)
                            continue;
                        hasState = true;
                        tensors.Add(Key(index, slotNames[k]), Unscoped(t.clone()));
                    }
                    if (countsSteps && hasState)
                        tensors.Add(Key(index, "step"), StepTensor(state.Steps[i]));
                }
            }
            return new OptimizerStateDict(name, tensors, GroupsJson());
        }
        catch
        {
            foreach (var t in tensors.Values)
                t.Dispose();
            throw;
        }
    }

    static string Key(int index, string slot) => string.Create(CultureInfo.InvariantCulture, $"state.{index}.{slot}");

    // PyTorch keeps step counts in float32 scalar tensors; so does the state dict.
    static Tensor StepTensor(double step) => Unscoped(torch.tensor(step));

    // State-dict tensors belong to the state dict, which disposes them, not to the caller's scope.
    static Tensor Unscoped(Tensor t)
    {
        t.Scope = null;
        return t;
    }

    string GroupsJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            var index = 0;
            foreach (var group in groups)
            {
                writer.WriteStartObject();
                group.options.Write(writer);
                writer.WriteStartArray("params");
                for (var i = 0; i < group.Items.Length; i++)
                    writer.WriteNumberValue(index++);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Restores hyperparameters and state from <paramref name="state"/>. Everything is checked
    /// first (optimizer type, number of groups and of parameters per group, state names and
    /// shapes); on any mismatch nothing changes and the error names every problem. State tensors
    /// are copied to each parameter's device (and floating dtype), as PyTorch does.
    /// </summary>
    /// <exception cref="ArgumentException">When the state dict does not fit this optimizer.</exception>
    public void load_state_dict(OptimizerStateDict state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ObjectDisposedException.ThrowIf(disposed, this);
        var problems = new List<string>();
        if (state.optimizer != name)
            problems.Add($"the state dict is from {state.optimizer}, not {name}");
        var options = ReadGroups(state.param_groups, problems);
        var total = groups.Sum(g => g.Items.Length);
        var (owner, position) = Positions(total);
        var parsed = new List<(int index, int slot, Tensor tensor)>();
        foreach (var (key, tensor) in state.tensors)
        {
            if (!TryParseKey(key, out var index, out var slotName) || index >= total)
            {
                problems.Add($"unexpected key '{key}'" + (index >= total ? $" (the optimizer has {total} parameters)" : ""));
                continue;
            }
            var parameter = groups[owner[index]].Items[position[index]];
            if (slotName == "step" && countsSteps)
            {
                if (tensor.numel() != 1)
                    problems.Add($"'{key}' must hold one value, not [{string.Join(", ", tensor.shape)}]");
                else
                    parsed.Add((index, -1, tensor));
                continue;
            }
            var slot = Array.IndexOf(slotNames, slotName);
            if (slot < 0)
            {
                problems.Add($"unexpected key '{key}' ({name} keeps {string.Join(", ", countsSteps ? [.. slotNames, "step"] : slotNames)})");
                continue;
            }
            var want = parameter.shape;
            var have = tensor.shape;
            if (!want.AsSpan().SequenceEqual(have))
                problems.Add($"size mismatch for '{key}': the state dict has [{string.Join(", ", have)}], the parameter [{string.Join(", ", want)}]");
            else
                parsed.Add((index, slot, tensor));
        }
        if (problems.Count > 0)
            throw new ArgumentException($"Error(s) loading the state dict of {name}: " + string.Join("; ", problems) + ".", nameof(state));

        var fresh = new Tensor?[slotNames.Length, total];
        var steps = new double[total];
        try
        {
            using var noGrad = torch.no_grad();
            foreach (var (index, slot, tensor) in parsed)
            {
                if (slot < 0)
                {
                    steps[index] = tensor.item<double>();
                    continue;
                }
                fresh[slot, index] = CopyFor(groups[owner[index]].Items[position[index]], tensor);
            }
        }
        catch
        {
            foreach (var t in fresh)
                t?.Dispose();
            throw;
        }

        for (var g = 0; g < groups.Count; g++)
            groups[g].ReplaceOptions(options![g]);
        for (var index = 0; index < total; index++)
        {
            var group = states[owner[index]];
            var i = position[index];
            for (var k = 0; k < slotNames.Length; k++)
            {
                group.Slots[k][i]?.Dispose();
                group.Slots[k][i] = fresh[k, index];
            }
            group.Steps[i] = steps[index];
        }
    }

    (int[] owner, int[] position) Positions(int total)
    {
        var owner = new int[total];
        var position = new int[total];
        var index = 0;
        for (var g = 0; g < groups.Count; g++)
            for (var i = 0; i < groups[g].Items.Length; i++, index++)
                (owner[index], position[index]) = (g, i);
        return (owner, position);
    }

    static bool TryParseKey(string key, out int index, out string slot)
    {
        index = -1;
        slot = "";
        if (!key.StartsWith("state.", StringComparison.Ordinal))
            return false;
        var rest = key.AsSpan("state.".Length);
        var dot = rest.IndexOf('.');
        if (dot <= 0 || !int.TryParse(rest[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out index))
            return false;
        slot = rest[(dot + 1)..].ToString();
        return slot.Length > 0;
    }

    static Tensor CopyFor(Parameter parameter, Tensor source)
    {
        var device = parameter.device;
        var dtype = parameter.dtype;
        var converted = source.to(device);
        if (converted.dtype != dtype && IsFloating(converted.dtype))
            converted = Replace(converted, converted.to(dtype));
        return Unscoped(Replace(converted, converted.clone()));
    }

    static Tensor Replace(Tensor old, Tensor replacement)
    {
        old.Dispose();
        return replacement;
    }

    static bool IsFloating(ScalarType t) => t is ScalarType.Float16 or ScalarType.Float32 or ScalarType.Float64 or ScalarType.BFloat16;

    OptimizerOptions[]? ReadGroups(string json, List<string> problems)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            problems.Add("param_groups is not valid JSON: " + e.Message);
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                problems.Add("param_groups is not a JSON array");
                return null;
            }
            if (root.GetArrayLength() != groups.Count)
            {
                problems.Add($"the state dict has {root.GetArrayLength()} parameter group(s), the optimizer {groups.Count}");
                return null;
            }
            var result = new OptimizerOptions[groups.Count];
            var index = 0;
            for (var g = 0; g < groups.Count; g++)
            {
                var element = root[g];
                var context = $"parameter group {g}";
                var count = groups[g].Items.Length;
                if (element.ValueKind != JsonValueKind.Object)
                {
                    problems.Add($"{context} is not a JSON object");
                    index += count;
                    continue;
                }
                if (!element.TryGetProperty("params", out var ids) || ids.ValueKind != JsonValueKind.Array)
                    problems.Add($"{context} has no 'params' list");
                else if (ids.GetArrayLength() != count)
                    problems.Add($"{context} has {ids.GetArrayLength()} parameter(s) in the state dict, {count} in the optimizer");
                else
                    for (var i = 0; i < count; i++)
                        if (!ids[i].TryGetInt32(out var id) || id != index + i)
                            problems.Add($"{context}: parameter {i} is numbered {ids[i]} in the state dict, {index + i} in the optimizer");
                index += count;
                var options = groups[g].options.Clone();
                try
                {
                    options.Read(element, context);
                    result[g] = options;
                }
                catch (ArgumentException e)
                {
                    problems.Add(e.Message);
                }
            }
            return result;
        }
    }

    /// <summary>Writes <see cref="state_dict"/> to a safetensors file (atomically); <see cref="load"/> reads it back.</summary>
    public void save(string path)
    {
        using var state = state_dict();
        Safetensors.Save(state.tensors, path, state.metadata());
    }

    /// <summary>Loads a file written by <see cref="save"/>; see <see cref="load_state_dict"/> for the checks made.</summary>
    public void load(string path)
    {
        using var state = OptimizerStateDict.Load(path);
        load_state_dict(state);
    }

    /// <summary>The optimizer's name and number of groups.</summary>
    public override string ToString() => $"{name} ({groups.Count} parameter group(s))";

    /// <summary>Frees the per-parameter state (the parameters stay the caller's).</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the state tensors.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposed)
            return;
        disposed = true;
        if (disposing)
            foreach (var state in states)
                state.Clear();
    }
}
