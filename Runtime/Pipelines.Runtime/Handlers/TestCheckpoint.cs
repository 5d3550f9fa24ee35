namespace Pipelines.Handlers;

/// <summary>
/// Which weights the generated <c>Test(data, checkpoint)</c> loads before testing (Lightning's
/// <c>trainer.test(ckpt_path=...)</c>): the best checkpoint of the pipeline's
/// <see cref="BestCheckpoints"/> member, its last one, or a file.
/// </summary>
public readonly record struct TestCheckpoint
{
    enum Choice
    {
        Best,
        Last,
        File,
    }

    readonly Choice choice;
    readonly string? path;

    TestCheckpoint(Choice choice, string? path)
    {
        this.choice = choice;
        this.path = path;
    }

    /// <summary>The best checkpoint by the keeper's monitored metric (Lightning's <c>"best"</c>).</summary>
    public static TestCheckpoint Best => new(Choice.Best, null);

    /// <summary>The latest checkpoint the keeper wrote (Lightning's <c>"last"</c>).</summary>
    public static TestCheckpoint Last => new(Choice.Last, null);

    /// <summary>The checkpoint at <paramref name="path"/>.</summary>
    public static TestCheckpoint From(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new(Choice.File, path);
    }

    /// <summary>
    /// The file to load: a path as given, or the best or last file of the first keeper. Best is the
    /// best file that exists: a resumed keeper forgets the listed files it could not find
    /// (<see cref="BestCheckpoints.MissingAtResume"/>); when that leaves none and no later
    /// validation ranked, this fails naming the missing files rather than test other weights.
    /// </summary>
    /// <exception cref="InvalidOperationException">When best or last is asked for and the pipeline has no <see cref="BestCheckpoints"/> member, or it has no such file (none written yet, or the best ones missing at resume: the message names them).</exception>
    public string Resolve(params BestCheckpoints[] keepers)
    {
        ArgumentNullException.ThrowIfNull(keepers);
        if (choice == Choice.File)
            return path!;
        var keeper = keepers.Length > 0 ? keepers[0] : throw new InvalidOperationException(
            $"Testing the {ToString()} checkpoint needs a BestCheckpoints member in the pipeline; pass TestCheckpoint.From(path) instead.");
        var resolved = choice == Choice.Best ? keeper.BestPath : keeper.HasDirectory && File.Exists(keeper.LastPath) ? keeper.LastPath : null;
        return resolved ?? throw new InvalidOperationException(choice switch
        {
            Choice.Best when keeper.MissingReport is { } missing =>
                $"There is no best checkpoint: the run resumed without its best files {missing}, and no validation since has ranked a value of {keeper.Monitor.Name}. "
                + "Put the files back beside the checkpoint and resume again, or test TestCheckpoint.Last or TestCheckpoint.From(path).",
            Choice.Best => $"There is no best checkpoint yet: no validation has ranked a value of {keeper.Monitor.Name}.",
            _ => "There is no last checkpoint yet: no epoch has completed.",
        });
    }

    /// <inheritdoc />
    public override string ToString() => choice switch
    {
        Choice.Best => "best",
        Choice.Last => "last",
        _ => path!,
    };
}
