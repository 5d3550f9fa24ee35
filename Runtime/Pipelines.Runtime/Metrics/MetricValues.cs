using System.ComponentModel;

namespace Pipelines.Metrics;

/// <summary>
/// The latest value of every metric of a run, by <see cref="MetricKey"/>, with the epoch that
/// computed it: what callbacks, loggers and monitors read (<c>state.Metrics[Metrics.Val.Accuracy]</c>).
/// The generated loop writes a phase's values when the phase completes (training metrics at the
/// end of each epoch's training, validation metrics when validation completes, whatever
/// <see cref="FitOptions.ValidateEvery"/> is), so an epoch-end callback sees the latest validation
/// values and, through <see cref="IsFresh"/>, whether they come from this epoch. Reading copies no
/// tensor: the values are the doubles the metrics' <c>Compute()</c> returned.
/// </summary>
public sealed class MetricValues
{
    readonly MetricKey[] keys;
    readonly double?[] values;
    readonly int[] epochs;

    /// <summary>The values of the metrics named by <paramref name="keys"/> (the generated <c>Metrics.Keys</c>), none computed yet.</summary>
    /// <exception cref="ArgumentException">When a key's index is not its position, or two keys share a name.</exception>
    public MetricValues(IReadOnlyList<MetricKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        this.keys = [.. keys];
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < this.keys.Length; i++)
        {
            if (this.keys[i].Index != i)
                throw new ArgumentException($"Key '{this.keys[i].Name}' has index {this.keys[i].Index} but stands at position {i}.", nameof(keys));
            if (!names.Add(this.keys[i].Name))
                throw new ArgumentException($"Two metrics are named '{this.keys[i].Name}'.", nameof(keys));
        }
        values = new double?[this.keys.Length];
        epochs = new int[this.keys.Length];
    }

    /// <summary>Every metric of the pipeline, in the generated order (training, validation, test).</summary>
    public IReadOnlyList<MetricKey> Keys => keys;

    /// <summary>The training and validation metrics (what a run's table and loggers show; the test metrics belong to <c>Test</c>).</summary>
    public IEnumerable<MetricKey> FitKeys => keys.Where(k => !k.Name.StartsWith("test/", StringComparison.Ordinal));

    /// <summary>The epoch of the latest completed validation (0 before the first).</summary>
    public int ValidatedEpoch { get; private set; }

    /// <summary>The latest value of <paramref name="key"/>, or null when its phase has not completed yet (or computed nothing).</summary>
    /// <exception cref="ArgumentException">When <paramref name="key"/> belongs to another pipeline.</exception>
    public double? this[MetricKey key] => values[Check(key)];

    /// <summary>The epoch whose phase computed the current value of <paramref name="key"/> (0: none yet).</summary>
    public int EpochOf(MetricKey key) => epochs[Check(key)];

    /// <summary>Whether <paramref name="key"/> has a value computed during <paramref name="epoch"/> (the current one, in an epoch-end callback).</summary>
    public bool IsFresh(MetricKey key, int epoch) => values[Check(key)] is not null && epochs[key.Index] == epoch;

    /// <summary>Records the value the generated loop computed for <paramref name="key"/> at <paramref name="epoch"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Set(MetricKey key, double? value, int epoch)
    {
        values[Check(key)] = value;
        epochs[key.Index] = epoch;
    }

    /// <summary>Marks the validation of <paramref name="epoch"/> complete (after its values were set).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Validated(int epoch) => ValidatedEpoch = epoch;

    int Check(MetricKey key)
    {
        if ((uint)key.Index >= (uint)keys.Length || !string.Equals(keys[key.Index].Name, key.Name, StringComparison.Ordinal))
            throw new ArgumentException($"The metric '{key.Name}' is not one of this pipeline's ({string.Join(", ", keys.Select(k => k.Name))}): use the keys of the pipeline's own Metrics record.", nameof(key));
        return key.Index;
    }
}
