namespace FashionMnistSample;

/// <summary>How the sample's learning rate moves over the run (both step once per optimizer step).</summary>
public enum LearningRateSchedule
{
    /// <summary>Warm up to the peak rate over the first 30% of the steps, then anneal (OneCycleLR).</summary>
    OneCycle,

    /// <summary>Start at the peak rate and follow a half cosine down to 0 (CosineAnnealingLR).</summary>
    Cosine,
}
