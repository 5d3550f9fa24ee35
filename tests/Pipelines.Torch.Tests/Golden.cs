using System.Text.Json;

namespace Pipelines.Torch.Tests;

/// <summary>
/// Reads the PyTorch fixtures written by golden/make_golden.py (see its header to regenerate)
/// and compares tensors with them.
/// </summary>
static class Golden
{
    static readonly Lazy<JsonElement> functional = new(() => Load("functional"));
    static readonly Lazy<JsonElement> networks = new(() => Load("networks"));

    static JsonElement Load(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "golden", name + ".json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    /// <summary>One case of functional.json.</summary>
    public static JsonElement Functional(string name) => functional.Value.GetProperty(name);

    /// <summary>One network of networks.json.</summary>
    public static JsonElement Network(string name) => networks.Value.GetProperty(name);

    static long[] Shape(JsonElement e) => e.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();

    /// <summary>A float32 tensor of a fixture entry.</summary>
    public static Tensor F(JsonElement e, string name) => F(e.GetProperty(name));

    public static Tensor F(JsonElement e) =>
        tensor(e.GetProperty("data").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray(), Shape(e));

    /// <summary>An int64 tensor of a fixture entry.</summary>
    public static Tensor L(JsonElement e, string name)
    {
        var entry = e.GetProperty(name);
        return tensor(entry.GetProperty("data").EnumerateArray().Select(v => v.GetInt64()).ToArray(), Shape(entry));
    }

    /// <summary>A state dict as PyTorch saved it (num_batches_tracked as int64, everything else float32).</summary>
    public static Dictionary<string, Tensor> State(JsonElement network, string name = "state")
    {
        var result = new Dictionary<string, Tensor>();
        foreach (var entry in network.GetProperty(name).EnumerateObject())
            result[entry.Name] = entry.Name.EndsWith("num_batches_tracked", StringComparison.Ordinal)
                ? tensor(entry.Value.GetProperty("data").EnumerateArray().Select(v => v.GetInt64()).ToArray(), Shape(entry.Value))
                : F(entry.Value);
        return result;
    }

    public static string[] Keys(JsonElement network) => network.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!).ToArray();

    /// <summary>Asserts shape equality and |actual - expected| &lt;= atol + rtol |expected| everywhere, naming the first bad element.</summary>
    public static void AssertClose(JsonElement expected, Tensor actual, double atol = 1e-5, double rtol = 1e-4, string what = "")
    {
        Assert.Equal(Shape(expected), actual.shape);
        var want = expected.GetProperty("data").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        using var asDouble = actual.detach().to(ScalarType.Float64);
        var have = asDouble.ToArray<double>();
        for (var i = 0; i < want.Length; i++)
            if (!(Math.Abs(have[i] - want[i]) <= atol + rtol * Math.Abs(want[i])))
                Assert.Fail($"{what} element {i}: expected {want[i]:R}, got {have[i]:R} (shape [{string.Join(", ", actual.shape)}]).");
    }

    public static void AssertClose(JsonElement e, string name, Tensor actual, double atol = 1e-5, double rtol = 1e-4) =>
        AssertClose(e.GetProperty(name), actual, atol, rtol, name);

    public static void AssertClose(double expected, Tensor actual, double tolerance = 1e-5) =>
        Assert.InRange(actual.item<float>(), expected - tolerance * Math.Max(1, Math.Abs(expected)), expected + tolerance * Math.Max(1, Math.Abs(expected)));
}
