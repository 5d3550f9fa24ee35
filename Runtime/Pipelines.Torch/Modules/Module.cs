namespace Pipelines.Torch.Modules;

/// <summary>
/// The base of every module (PyTorch's <c>nn.Module</c>): named parameters, buffers and
/// submodules, registered explicitly in the constructor (no reflection), train/eval mode,
/// device and dtype moves, and state dicts keyed by PyTorch's dotted names.
/// </summary>
public abstract class Module : IDisposable
{
    readonly List<KeyValuePair<string, Parameter?>> parameterSlots = new();
    readonly List<KeyValuePair<string, Tensor?>> bufferSlots = new();
    readonly HashSet<string> nonPersistent = new();
    readonly List<KeyValuePair<string, Module>> moduleSlots = new();

    /// <summary>Creates a module; <paramref name="name"/> is its type name in messages (e.g. "Linear").</summary>
    protected Module(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        this.name = name;
    }

    readonly string name;

    /// <summary>Whether the module is in training mode (dropout active, batch statistics updated).</summary>
    public bool training { get; private set; } = true;

    /// <summary>Registers a parameter (null reserves the name, like a bias that is turned off).</summary>
    protected void register_parameter(string name, Parameter? parameter) => Add(parameterSlots, name, parameter);

    /// <summary>Registers a buffer: state that is saved but not trained (running statistics).</summary>
    protected void register_buffer(string name, Tensor? buffer, bool persistent = true)
    {
        Add(bufferSlots, name, buffer);
        if (!persistent)
            nonPersistent.Add(name);
    }

    /// <summary>Registers a submodule and returns it.</summary>
    protected T register_module<T>(string name, T module) where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        Add(moduleSlots, name, (Module)module);
        return module;
    }

    void Add<T>(List<KeyValuePair<string, T>> slots, string key, T value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (key.Contains('.', StringComparison.Ordinal))
            throw new ArgumentException($"{name}: member name '{key}' may not contain '.'.", nameof(key));
        if (parameterSlots.Exists(p => p.Key == key) || bufferSlots.Exists(b => b.Key == key) || moduleSlots.Exists(m => m.Key == key))
            throw new ArgumentException($"{name}: '{key}' is already registered.", nameof(key));
        slots.Add(new(key, value));
    }

    /// <summary>Replaces the tensor of a registered parameter (used by loaders that build new parameters).</summary>
    protected void set_parameter(string key, Parameter? parameter)
    {
        var i = parameterSlots.FindIndex(p => p.Key == key);
        if (i < 0)
            throw new ArgumentException($"{name} has no parameter '{key}'.", nameof(key));
        parameterSlots[i] = new(key, parameter);
    }

    /// <summary>Every parameter of this module and (when <paramref name="recurse"/>) its submodules, in registration order.</summary>
    public IEnumerable<Parameter> parameters(bool recurse = true)
    {
        foreach (var (_, p) in named_parameters(recurse))
            yield return p;
    }

    /// <summary>Parameters with PyTorch's dotted names (<c>0.weight</c>, <c>encoder.fc.bias</c>).</summary>
    public IEnumerable<(string name, Parameter parameter)> named_parameters(bool recurse = true)
    {
        foreach (var (key, p) in parameterSlots)
            if (p is not null)
                yield return (key, p);
        if (!recurse)
            yield break;
        foreach (var (prefix, child) in moduleSlots)
            foreach (var (key, p) in child.named_parameters(true))
                yield return (prefix + "." + key, p);
    }

    /// <summary>Buffers with dotted names, including non-persistent ones.</summary>
    public IEnumerable<(string name, Tensor buffer)> named_buffers(bool recurse = true)
    {
        foreach (var (key, b) in bufferSlots)
            if (b is not null)
                yield return (key, b);
        if (!recurse)
            yield break;
        foreach (var (prefix, child) in moduleSlots)
            foreach (var (key, b) in child.named_buffers(true))
                yield return (prefix + "." + key, b);
    }

    /// <summary>Every buffer of this module and its submodules.</summary>
    public IEnumerable<Tensor> buffers(bool recurse = true)
    {
        foreach (var (_, b) in named_buffers(recurse))
            yield return b;
    }

    /// <summary>Direct submodules with their names.</summary>
    public IEnumerable<(string name, Module module)> named_children()
    {
        foreach (var (key, m) in moduleSlots)
            yield return (key, m);
    }

    /// <summary>Direct submodules.</summary>
    public IEnumerable<Module> children()
    {
        foreach (var (_, m) in moduleSlots)
            yield return m;
    }

    /// <summary>This module and all its descendants, depth first.</summary>
    public IEnumerable<Module> modules()
    {
        yield return this;
        foreach (var (_, child) in moduleSlots)
            foreach (var m in child.modules())
                yield return m;
    }

    /// <summary>Sets training mode on this module and every descendant.</summary>
    public virtual Module train(bool mode = true)
    {
        training = mode;
        foreach (var (_, child) in moduleSlots)
            child.train(mode);
        return this;
    }

    /// <summary>Sets evaluation mode on this module and every descendant.</summary>
    public Module eval() => train(false);

    /// <summary>Moves every parameter and buffer to a device, keeping the parameter objects (optimizers stay valid).</summary>
    public Module to(Device device) => Move(t => t.to(device));

    /// <summary>Converts every floating parameter and buffer to another dtype.</summary>
    public Module to(ScalarType dtype) => Move(t => IsFloating(t.dtype) ? t.to(dtype) : t.alias());

    static bool IsFloating(ScalarType t) =>
        t is ScalarType.Float16 or ScalarType.Float32 or ScalarType.Float64 or ScalarType.BFloat16;

    Module Move(Func<Tensor, Tensor> convert)
    {
        using var noGrad = torch.no_grad();
        foreach (var m in modules())
        {
            foreach (var (_, p) in m.parameterSlots)
                if (p is not null)
                    using (var moved = convert(p))
                        p.set_data(moved);
            foreach (var (_, b) in m.bufferSlots)
                if (b is not null)
                    using (var moved = convert(b))
                        b.set_data(moved);
        }
        return this;
    }

    /// <summary>Clears the gradients of every parameter (to none, or to zero).</summary>
    public void zero_grad(bool set_to_none = true)
    {
        foreach (var p in parameters())
        {
            if (set_to_none)
            {
                p.grad = null;
                continue;
            }
            using var g = p.grad;
            g?.zero_();
        }
    }

    /// <summary>
    /// The parameters and persistent buffers by dotted name, in registration order. The tensors
    /// are new handles sharing the module's storage (detached): dispose them when done.
    /// </summary>
    public Dictionary<string, Tensor> state_dict()
    {
        var result = new Dictionary<string, Tensor>();
        Collect(result, "");
        return result;
    }

    void Collect(Dictionary<string, Tensor> into, string prefix)
    {
        foreach (var (key, p) in parameterSlots)
            if (p is not null)
                into.Add(prefix + key, p.detach());
        foreach (var (key, b) in bufferSlots)
            if (b is not null && !nonPersistent.Contains(key))
                into.Add(prefix + key, b.detach());
        foreach (var (key, child) in moduleSlots)
            child.Collect(into, prefix + key + ".");
    }

    /// <summary>
    /// Copies values from a state dict into the parameters and buffers. Everything is checked
    /// before anything is copied: with <paramref name="strict"/> a missing or unexpected key is an
    /// error, and a shape mismatch always is; the error names every offending key.
    /// </summary>
    public void load_state_dict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        var targets = new Dictionary<string, Tensor>();
        CollectTargets(targets, "");
        var problems = new List<string>();
        var missing = targets.Keys.Where(k => !state.ContainsKey(k)).ToList();
        var unexpected = state.Keys.Where(k => !targets.ContainsKey(k)).ToList();
        if (strict && missing.Count > 0)
            problems.Add("missing key(s): " + string.Join(", ", missing));
        if (strict && unexpected.Count > 0)
            problems.Add("unexpected key(s): " + string.Join(", ", unexpected));
        foreach (var (key, target) in targets)
        {
            if (!state.TryGetValue(key, out var source))
                continue;
            var want = target.shape;
            var have = source.shape;
            if (!want.AsSpan().SequenceEqual(have))
                problems.Add($"size mismatch for {key}: the checkpoint has [{string.Join(", ", have)}], the model [{string.Join(", ", want)}]");
        }
        if (problems.Count > 0)
            throw new ArgumentException($"Error(s) loading the state dict of {name}: " + string.Join("; ", problems) + ".", nameof(state));
        using var noGrad = torch.no_grad();
        foreach (var (key, target) in targets)
            if (state.TryGetValue(key, out var source))
                target.copy_(source);
    }

    void CollectTargets(Dictionary<string, Tensor> into, string prefix)
    {
        foreach (var (key, p) in parameterSlots)
            if (p is not null)
                into.Add(prefix + key, p);
        foreach (var (key, b) in bufferSlots)
            if (b is not null && !nonPersistent.Contains(key))
                into.Add(prefix + key, b);
        foreach (var (key, child) in moduleSlots)
            child.CollectTargets(into, prefix + key + ".");
    }

    /// <summary>The module's type name.</summary>
    public override string ToString() => name;

    /// <summary>Frees the parameters, buffers and submodules.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases native tensors; override to free extra state.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
            return;
        foreach (var (_, p) in parameterSlots)
            p?.Dispose();
        foreach (var (_, b) in bufferSlots)
            b?.Dispose();
        foreach (var (_, m) in moduleSlots)
            m.Dispose();
    }
}
