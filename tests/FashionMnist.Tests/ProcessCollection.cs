namespace FashionMnist.Tests;

/// <summary>
/// The tests that start the sample (or a publish of it) as child processes run one after another:
/// a publish rebuilding the sample while another test's child loads it made that child abort.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "child processes of the sample";
}
