using System.Globalization;
using System.Text.Json;
using Pipelines.Checkpoints;
using Pipelines.Metrics;

namespace Pipelines.Handlers;

/// <summary>
/// Keeps the <see cref="Keep"/> best checkpoints by a score (Lightning's <c>ModelCheckpoint(save_top_k,
/// monitor, mode)</c>, Ignite's <c>Checkpoint(n_saved, score_function)</c>) plus the latest one as
/// <see cref="LastFileName"/>. Best files are named <c>best-epoch=003-accuracy=0.9123.ckpt</c>.
/// Each file is written atomically (<see cref="Checkpoint.Save"/>); a file that falls out of the
/// best is deleted only after the new ones are on disk, so a crash never loses a listed file. Its
/// list is resumable state: add it to <see cref="CheckpointContents.States"/> and the checkpoints
/// it writes carry the list as it stands after the write.
/// </summary>
public sealed class BestCheckpoints : ICallback, ICheckpointState
{
    const string BestPrefix = "best-";
    const string Extension = ".ckpt";

    readonly ImprovementMonitor ranking;
    List<SavedCheckpoint> best = [];
    // The files the save in progress drops from the list: its checkpoints record them, so that a
    // run killed before deleting them deletes them when it resumes (see LoadState).
    List<SavedCheckpoint> evicting = [];
    string? directory;
    bool cleaned;
    string[] missingAtResume = [];

    /// <summary>
    /// Keeps the <paramref name="keep"/> best checkpoints by <paramref name="monitor"/>, a key of the
    /// pipeline's generated metrics record (<c>Metrics.Val.Accuracy</c>). As a member of a [Pipeline]
    /// class it is wired by the generated loop: at every epoch end, after every other handler, it
    /// writes <see cref="LastFileName"/> and, when the monitored value was computed in that epoch and
    /// ranks, a best file; its list is part of every checkpoint.
    /// </summary>
    /// <param name="monitor">The metric that ranks the checkpoints; its file name (<c>val_accuracy</c>) goes into the best files' names.</param>
    /// <param name="mode">Whether lower (a loss) or higher (an accuracy) values are better.</param>
    /// <param name="keep">How many best files to keep (at least 1).</param>
    /// <param name="directory">Where the files go; null: the run's checkpoint directory (<see cref="FitOptions.Checkpoints"/>, or <c>checkpoints</c> in <see cref="FitOptions.RunDirectory"/>).</param>
    /// <param name="lastFileName">The latest checkpoint's file name.</param>
    public BestCheckpoints(MetricKey monitor, MonitorMode mode, int keep = 3, string? directory = null, string lastFileName = "last" + Extension)
    {
        ArgumentException.ThrowIfNullOrEmpty(monitor.Name, nameof(monitor));
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        ArgumentException.ThrowIfNullOrEmpty(lastFileName);
        if (directory is not null)
            ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!IsPlainFileName(lastFileName) || lastFileName.StartsWith(BestPrefix, StringComparison.Ordinal))
            throw new ArgumentException($"'{lastFileName}' must be a file name without a directory, not starting with '{BestPrefix}'.", nameof(lastFileName));
        ranking = new ImprovementMonitor(mode);
        this.directory = directory is null ? null : Path.GetFullPath(directory);
        Monitor = monitor;
        ScoreName = monitor.FileName;
        Keep = keep;
        LastFileName = lastFileName;
    }

    /// <summary>The metric that ranks the checkpoints.</summary>
    public MetricKey Monitor { get; }

    /// <summary>Where the files go (the run's checkpoint directory once a run has started, when none was given).</summary>
    /// <exception cref="InvalidOperationException">Before a run gave it a directory.</exception>
    public string Directory => directory ?? throw new InvalidOperationException(
        $"The best checkpoints by {Monitor.Name} have no directory yet: pass one to the constructor, or set FitOptions.RunDirectory or FitOptions.Checkpoints.");

    /// <summary>Whether the keeper has a directory (its own, or the run's once one started).</summary>
    internal bool HasDirectory => directory is not null;

    /// <summary>Gives a keeper made without a directory the run's checkpoint directory (a keeper with its own keeps it).</summary>
    internal void UseRunDirectory(string checkpointDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(checkpointDirectory);
        directory ??= Path.GetFullPath(checkpointDirectory);
    }

    /// <summary>Where <see cref="LoadState"/> says, in one line, which listed best files it found nowhere (the run's output in a pipeline; null by hand: read <see cref="MissingAtResume"/>).</summary>
    internal TextWriter? Output { get; set; }

    /// <summary>The score's name.</summary>
    string ScoreName { get; }

    /// <summary>Whether lower or higher scores are better.</summary>
    public MonitorMode Mode => ranking.Mode;

    /// <summary>How many best files are kept.</summary>
    public int Keep { get; }

    /// <summary>The latest checkpoint's file name.</summary>
    public string LastFileName { get; }

    /// <summary>The score's format in file names (.NET numeric format, invariant culture).</summary>
    public string ScoreFormat { get; init; } = "0.0000";

    /// <summary>The kept checkpoints, best first.</summary>
    public IReadOnlyList<SavedCheckpoint> Best => best;

    /// <summary>The latest checkpoint's full path (it may not exist yet).</summary>
    public string LastPath => Path.Combine(Directory, LastFileName);

    /// <summary>The best checkpoint's full path, or null before the first.</summary>
    public string? BestPath => best.Count > 0 ? Path.Combine(Directory, best[0].FileName) : null;

    /// <summary>
    /// The best files the list restored by <see cref="LoadState"/> named but that existed neither in
    /// <see cref="Directory"/> nor beside the checkpoint (a <see cref="LastFileName"/> copied away
    /// from its run): they were dropped from <see cref="Best"/>, which later epochs fill again.
    /// Empty when every listed file was found, or before a restore.
    /// </summary>
    public IReadOnlyList<string> MissingAtResume => missingAtResume;

    /// <summary>What <see cref="MissingAtResume"/> means, for messages: the files, the checkpoint that listed them and where they were looked for; null when nothing was missing.</summary>
    internal string? MissingReport { get; private set; }

    /// <summary>The file name a best checkpoint of <paramref name="epoch"/> with <paramref name="score"/> gets.</summary>
    string FileNameFor(int epoch, double score) =>
        string.Create(CultureInfo.InvariantCulture, $"{BestPrefix}epoch={epoch:D3}-{ScoreName}={score.ToString(ScoreFormat, CultureInfo.InvariantCulture)}{Extension}");

    /// <summary>Whether <paramref name="score"/> would enter the best (NaN never does; a tie with the worst kept one does not displace it).</summary>
    bool Qualifies(double score) =>
        !double.IsNaN(score) && (best.Count < Keep || Better(score, best[^1].Score));

    bool Better(double a, double b) => ranking.Improves(a, b);

    // The checkpoint's "direction": the spelling of Lightning's mode, kept so that older checkpoints still resume.
    string ModeName => Mode == MonitorMode.Min ? "min" : "max";

    /// <summary>
    /// Whether this keeper writes and deletes its files: false on the data-parallel ranks other than
    /// 0, which keep the same list (so that <see cref="TestCheckpoint.Best"/> resolves alike on every
    /// rank) while rank 0 writes.
    /// </summary>
    internal bool WritesFiles { get; set; } = true;

    // Ranks the score into the best list: the new entry, or null; the entries that fell out.
    SavedCheckpoint? Rank(int epoch, double? score, out List<SavedCheckpoint> evicted)
    {
        SavedCheckpoint? entry = null;
        evicted = [];
        if (score is { } value && Qualifies(value))
        {
            var saved = new SavedCheckpoint(FileNameFor(epoch, value), epoch, value);
            var updated = new List<SavedCheckpoint>(best.Count + 1);
            foreach (var e in best)
                if (e.FileName != saved.FileName)
                    updated.Add(e);
            var at = updated.FindIndex(e => Better(value, e.Score));
            updated.Insert(at < 0 ? updated.Count : at, saved);
            while (updated.Count > Keep)
            {
                evicted.Add(updated[^1]);
                updated.RemoveAt(updated.Count - 1);
            }
            best = updated;
            entry = saved;
        }
        return entry;
    }

    /// <summary>
    /// Writes the latest checkpoint and, when <paramref name="score"/> is among the best, a best
    /// checkpoint first; then deletes the best file that dropped out. Returns the new best
    /// entry, or null when the score did not qualify (or is null: no value this epoch).
    /// </summary>
    public SavedCheckpoint? Save(CheckpointContents contents, int epoch, double? score)
    {
        ArgumentNullException.ThrowIfNull(contents);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        if (!WritesFiles)
            return Rank(epoch, score, out _);
        PrepareDirectory();
        var previous = best;
        var entry = Rank(epoch, score, out var evicted);
        evicting = evicted;
        string? writtenBest = null;
        try
        {
            // Best first: every file the list names exists at every moment, whichever write a crash interrupts.
            if (entry is { } e)
            {
                Checkpoint.Save(Path.Combine(Directory, e.FileName), contents);
                writtenBest = e.FileName;
            }
            Checkpoint.Save(LastPath, contents);
        }
        catch
        {
            // A failed write (a full disk) leaves the list and the files as they were: a new best
            // file whose last.ckpt could not follow is removed, unless the old list names it.
            best = previous;
            evicting = [];
            if (writtenBest is not null)
                TryDelete(writtenBest);
            throw;
        }
        foreach (var e in evicted)
            TryDelete(e.FileName);
        evicting = [];
        return entry;
    }

    /// <summary>Writes only the latest checkpoint (mid-epoch, on interruption); the best list is unchanged.</summary>
    public void SaveLast(CheckpointContents contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        PrepareDirectory();
        Checkpoint.Save(LastPath, contents);
    }

    void PrepareDirectory()
    {
        System.IO.Directory.CreateDirectory(Directory);
        if (cleaned)
            return;
        cleaned = true;
        // Temporary files a killed writer left behind (".<name>.<guid>.tmp", see Safetensors.Save).
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, ".*.tmp"))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith("." + BestPrefix, StringComparison.Ordinal) || name.StartsWith("." + LastFileName + ".", StringComparison.Ordinal))
                TryDelete(name);
        }
    }

    void TryDelete(string fileName)
    {
        if (best.Exists(e => e.FileName == fileName) || fileName == LastFileName)
            return;
        try
        {
            File.Delete(Path.Combine(Directory, fileName));
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    static bool IsPlainFileName(string name) =>
        name.Length > 0 && name == Path.GetFileName(name) && name != "." && name != ".." && name.IndexOfAny(['/', '\\', '\0']) < 0;

    /// <inheritdoc />
    public void SaveState(CheckpointStateWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var json = writer.Json;
        json.WriteString("score", ScoreName);
        json.WriteString("direction", ModeName);
        json.WriteNumber("keep", Keep);
        json.WriteStartArray("best");
        foreach (var e in best)
        {
            json.WriteStartObject();
            json.WriteString("file", e.FileName);
            json.WriteNumber("epoch", e.Epoch);
            JsonValues.WriteDouble(json, "score", e.Score);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (evicting.Count == 0)
            return;
        json.WriteStartArray("evicting");
        foreach (var e in evicting)
            json.WriteStringValue(e.FileName);
        json.WriteEndArray();
    }

    /// <inheritdoc />
    public void ValidateState(CheckpointStateReader reader)
    {
        Read(reader);
        ReadEvicting(reader);
    }

    /// <summary>
    /// Restores the list. A checkpoint read from another directory (a run resumed into a new run
    /// directory) brings its best files along: each listed file found beside the checkpoint is
    /// copied into <see cref="Directory"/> (atomically, never over an existing file), so that the
    /// new directory holds every file its list names and evicting one never touches the old run.
    /// Files found in neither place (a <see cref="LastFileName"/> copied away from its run, files
    /// deleted by hand or by a run that went on after this checkpoint) are dropped from the list and
    /// named in <see cref="MissingAtResume"/>; in a pipeline the run's output says so in one line,
    /// before anything is copied or written. Resumed in its own directory, the keeper deletes the
    /// files the checkpoint's save was dropping from the list (a run killed between writing the
    /// checkpoint and deleting them left them behind); it never deletes in another run's directory.
    /// </summary>
    /// <exception cref="IOException">When a best file cannot be copied (a full disk); the message names both files.</exception>
    public void LoadState(CheckpointStateReader reader)
    {
        var entries = Read(reader);
        var dropped = ReadEvicting(reader);
        var checkpoint = Path.GetFullPath(reader.FilePath);
        var source = Path.GetDirectoryName(checkpoint);
        var elsewhere = source is not null && source != Directory ? source : null;
        var missing = entries.FindAll(e => !File.Exists(Path.Combine(Directory, e.FileName))
            && (elsewhere is null || !File.Exists(Path.Combine(elsewhere, e.FileName))));
        entries.RemoveAll(missing.Contains);
        missingAtResume = [.. missing.Select(e => e.FileName)];
        MissingReport = missing.Count == 0 ? null
            : $"{string.Join(", ", missingAtResume)} (by {Monitor.Name}), listed in {checkpoint} but "
              + (elsewhere is null ? $"not in {Directory}" : $"in neither {Directory} nor {elsewhere}");
        if (MissingReport is { } report)
            Output?.WriteLine($"best checkpoints missing: {report}; going on without them (later epochs fill the best {Keep} again)");
        if (elsewhere is not null)
            CopyFrom(elsewhere, entries);
        best = entries;
        if (elsewhere is null)
            foreach (var name in dropped)
                TryDelete(name);
    }

    void CopyFrom(string source, List<SavedCheckpoint> entries)
    {
        var copied = false;
        foreach (var entry in entries)
        {
            var from = Path.Combine(source, entry.FileName);
            var to = Path.Combine(Directory, entry.FileName);
            if (File.Exists(to) || !File.Exists(from))
                continue;
            System.IO.Directory.CreateDirectory(Directory);
            var temp = Path.Combine(Directory, "." + entry.FileName + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                using (var input = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.Read))
                using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
                {
                    input.CopyTo(output);
                    output.Flush(flushToDisk: true);
                }
                File.Move(temp, to);
                copied = true;
            }
            catch (IOException e)
            {
                try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
                throw new IOException($"{to}: could not copy the best checkpoint from {from} into the resumed run's directory ({e.Message}).", e);
            }
        }
        if (copied)
            DirectorySync.Flush(Directory);
    }

    List<SavedCheckpoint> Read(CheckpointStateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var score = reader.GetString("score");
        if (score != ScoreName)
            throw reader.Error("score", $"the checkpoint kept the best by '{score}', this run by '{ScoreName}'.");
        var direction = reader.GetString("direction");
        if (direction != ModeName)
            throw reader.Error("direction", $"the checkpoint kept the best by {direction}, this run by {ModeName}.");
        var list = reader.GetProperty("best");
        if (list.ValueKind != JsonValueKind.Array)
            throw reader.Error("best", "expected an array.");
        var entries = new List<SavedCheckpoint>();
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"best.{i++}");
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("file", out var file) || file.ValueKind != JsonValueKind.String
                || !item.TryGetProperty("epoch", out var epoch) || !epoch.TryGetInt32(out var epochValue) || epochValue < 0
                || !item.TryGetProperty("score", out var scoreElement) || !JsonValues.TryReadDouble(scoreElement, out var scoreValue))
                throw reader.Error(key, "expected {\"file\": name, \"epoch\": n, \"score\": x}.");
            var name = file.GetString()!;
            if (!IsBestFileName(name))
                throw reader.Error(key, $"'{name}' is not a best-checkpoint file name ({BestPrefix}*{Extension}, no directory).");
            entries.Add(new SavedCheckpoint(name, epochValue, scoreValue));
        }
        entries.Sort((a, b) => Better(a.Score, b.Score) ? -1 : Better(b.Score, a.Score) ? 1 : 0);
        // A run resumed with a smaller Keep trims on its next save; here the list is kept as saved.
        return entries;
    }

    /// <summary>The files the checkpoint's save was dropping from the list (none in checkpoints that have no such key, written before it existed or with nothing to drop).</summary>
    static List<string> ReadEvicting(CheckpointStateReader reader)
    {
        var names = new List<string>();
        if (!reader.Json.TryGetProperty("evicting", out var list))
            return names;
        if (list.ValueKind != JsonValueKind.Array)
            throw reader.Error("evicting", "expected an array.");
        foreach (var item in list.EnumerateArray())
        {
            var name = item.ValueKind == JsonValueKind.String ? item.GetString()! : "";
            if (!IsBestFileName(name))
                throw reader.Error("evicting", $"'{name}' is not a best-checkpoint file name ({BestPrefix}*{Extension}, no directory).");
            names.Add(name);
        }
        return names;
    }

    // The list decides which files get deleted: never trust a name outside this directory's best files.
    static bool IsBestFileName(string name) =>
        IsPlainFileName(name) && name.StartsWith(BestPrefix, StringComparison.Ordinal) && name.EndsWith(Extension, StringComparison.Ordinal);
}
