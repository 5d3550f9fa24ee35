using TorchSharp.Modules;

namespace Pipelines.Runtime.Tests.Engine;

/// <summary>A module without parameters (its children can be frozen to test mode restoration).</summary>
public sealed class Probe : nn.Module
{
    public Probe(int children = 0) : base("Probe")
    {
        for (var i = 0; i < children; i++)
            register_module("child" + i, new Probe());
    }

    public Probe Child(int index) => (Probe)children().ElementAt(index);
}

/// <summary>Counts the calls the engine makes; does no tensor work.</summary>
public sealed class CountingOptimizer
{
    public int ZeroGrads { get; private set; }

    public int Steps { get; private set; }

    public void zero_grad() => ZeroGrads++;

    public void step() => Steps++;
}

/// <summary>Batches that are just their index: the engine's own cost, with no data work.</summary>
public sealed class IndexBatches(int count) : IBatchSource<int>
{
    public int Count { get; } = count;

    public int Passes { get; private set; }

    public void StartPass() => Passes++;

    public int GetBatch(int index) => index;
}
