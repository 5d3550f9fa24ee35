namespace Pipelines.Schedulers;

/// <summary>What <see cref="ReduceLROnPlateau"/> needs to resume (PyTorch's <c>state_dict()</c>).</summary>
/// <param name="Best">The best value seen (infinite before the first).</param>
/// <param name="NumBadEpochs">Steps since the last significant improvement.</param>
/// <param name="CooldownCounter">Steps of cooldown left.</param>
/// <param name="LastEpoch">Steps taken.</param>
public readonly record struct ReduceLROnPlateauState(double Best, int NumBadEpochs, int CooldownCounter, int LastEpoch);
