using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Pipelines.Checkpoints;
using Pipelines.Handlers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Logging;

/// <summary>
/// Writes a TensorBoard event file (<c>events.out.tfevents.*</c>) that <c>tensorboard --logdir</c>
/// reads: TFRecord framing (length, masked CRC-32C of the length, an <c>Event</c> protobuf, masked
/// CRC-32C of the data), a <c>file_version</c> event first, then scalar summaries (losses,
/// metrics, learning rates), text summaries and hyperparameters for the hparams plugin (also
/// written as a text table). Each event is written with one call and flushed, so TensorBoard sees
/// whole records while the run goes on.
/// </summary>
public sealed class TensorBoardLogger : IStartedHandler, IIterationCompletedHandler, IEpochCompletedHandler, ICompletedHandler, IDisposable
{
    // Field numbers from tensorflow/core/util/event.proto, framework/summary.proto and
    // tensor.proto, and tensorboard/plugins/hparams/{plugin_data,api}.proto.
    const int EventWallTime = 1, EventStep = 2, EventFileVersion = 3, EventSummary = 5;
    const int SummaryValue = 1;
    const int ValueTag = 1, ValueSimpleValue = 2, ValueTensor = 8, ValueMetadata = 9;
    const int MetadataPluginData = 1, PluginName = 1, PluginContent = 2;
    const int TensorDtype = 1, TensorShape = 2, TensorStringVal = 8, ShapeDim = 2, DimSize = 1, DtString = 7;
    const int HParamsVersion = 1, HParamsExperiment = 2, HParamsSessionStart = 3, HParamsSessionEnd = 4;
    const int ExperimentHParamInfos = 4, ExperimentMetricInfos = 5, HParamInfoName = 1, HParamInfoType = 4;
    const int MetricInfoName = 1, MetricNameTag = 2;
    const int SessionStartHParams = 1, SessionStartTime = 5, SessionEndStatus = 1, SessionEndTime = 2, StatusSuccess = 1, StatusFailure = 2;
    const int MapKey = 1, MapValue = 2, ValueNumber = 2, ValueString = 3, ValueBool = 4;

    static int fileCounter;

    readonly TimeProvider time;
    readonly LoggedScalars? scalars;
    FileStream? stream;
    readonly ProtoWriter record = new();
    readonly ProtoWriter summary = new();
    readonly ProtoWriter value = new();
    readonly ProtoWriter scratch = new();
    readonly ProtoWriter inner = new();
    byte[] frame = new byte[256];
    bool hparamsWritten;
    bool disposed;

    /// <summary>
    /// Lightning's <c>TensorBoardLogger</c> as a callback: when the run starts it creates an event file
    /// in the run's directory and logs the hyperparameters for the hparams plugin against the
    /// validation metrics; it logs the step loss and the pipeline's learning rates
    /// every <paramref name="every"/> iterations and the metrics computed in an epoch at its end,
    /// under the pipeline's metric names (<c>val/accuracy</c>), and ends the session when the run completes.
    /// </summary>
    /// <param name="every">The iterations between two step-loss events (each reads the loss on the host once).</param>
    /// <param name="time">The clock of wall times and of the file name (the system clock when null).</param>
    public TensorBoardLogger(int every = 50, TimeProvider? time = null)
    {
        this.time = time ?? TimeProvider.System;
        scalars = new LoggedScalars(every);
        FilePath = "";
    }

    /// <summary>Opens the event file in the run's directory and logs the hyperparameters (a logger made with a directory does nothing).</summary>
    /// <exception cref="InvalidOperationException">When the run has no directory.</exception>
    public void OnStarted(in PipelineState state)
    {
        // A logger made with a path does nothing here; in a data-parallel run only rank 0 logs.
        if (scalars is null || stream is not null || !state.IsGlobalZero)
            return;
        Open(LoggedScalars.RunDirectory(in state, "TensorBoard logger"));
        scalars.Start(in state);
        if (state.Hyperparameters is { } hyperparameters)
            LogHyperparameters(hyperparameters.ToValues(), [.. scalars.Names.Where(n => n.StartsWith("val/", StringComparison.Ordinal))]);
    }

    /// <summary>Logs the step loss and the learning rates when due.</summary>
    public void OnIterationCompleted(in PipelineState state)
    {
        if (scalars is not null && stream is not null && scalars.IterationDue(in state))
            Log(state.Iteration, scalars.AtIteration(in state));
    }

    /// <summary>Logs the metrics computed in the epoch, at the epoch's last iteration.</summary>
    public void OnEpochCompleted(in PipelineState state)
    {
        if (scalars is not null && stream is not null)
            Log(state.Iteration, scalars.AtEpochEnd(in state));
    }

    /// <summary>Ends the hparams session and flushes the file.</summary>
    public void OnCompleted(in PipelineState state)
    {
        if (stream is null)
            return;
        EndSession();
        Flush();
    }

    void Log(long step, ReadOnlySpan<double?> values)
    {
        summary.Clear();
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is not { } v)
                continue;
            value.Clear();
            value.String(ValueTag, scalars!.Names[i]);
            value.Float(ValueSimpleValue, (float)v);
            summary.Message(SummaryValue, value);
        }
        WriteSummary(step);
    }

    /// <summary>Creates a new event file in <paramref name="logDirectory"/> (created if needed).</summary>
    /// <param name="logDirectory">The run's directory, as given to <c>tensorboard --logdir</c> (or a subdirectory of it).</param>
    /// <param name="time">The clock of wall times and of the file name (the system clock when null).</param>
    public TensorBoardLogger(string logDirectory, TimeProvider? time = null)
    {
        this.time = time ?? TimeProvider.System;
        FilePath = "";
        Open(logDirectory);
    }

    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(stream))]
    void Open(string logDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(logDirectory);
        Directory.CreateDirectory(logDirectory);
        var now = time.GetUtcNow();
        var name = string.Create(CultureInfo.InvariantCulture,
            $"events.out.tfevents.{now.ToUnixTimeSeconds():D10}.{Environment.MachineName}.{Environment.ProcessId}.{Interlocked.Increment(ref fileCounter)}");
        FilePath = Path.GetFullPath(Path.Combine(logDirectory, name));
        stream = new FileStream(FilePath, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        record.Clear();
        record.Double(EventWallTime, WallTime());
        record.String(EventFileVersion, "brain.Event:2");
        WriteRecord(record.Written);
    }

    /// <summary>The event file's full path (empty until a callback logger's run starts).</summary>
    public string FilePath { get; private set; }

    double WallTime() => time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>Logs one scalar (a loss, a metric, a learning rate) at <paramref name="step"/>.</summary>
    public void LogScalar(string tag, double value, long step) => LogScalars(step, [(tag, value)]);

    /// <summary>Logs several scalars at one step, in one event.</summary>
    public void LogScalars(long step, params ReadOnlySpan<(string Tag, double Value)> values)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        summary.Clear();
        foreach (var (tag, v) in values)
        {
            ArgumentException.ThrowIfNullOrEmpty(tag, nameof(values));
            value.Clear();
            value.String(ValueTag, tag);
            value.Float(ValueSimpleValue, (float)v);
            summary.Message(SummaryValue, value);
        }
        WriteSummary(step);
    }

    /// <summary>Logs each parameter group's learning rate: tag <c>lr</c> for one group, <c>lr/group{i}</c> for several (the names the callback gives the only optimizer's rates).</summary>
    public void LogLearningRates(optim.Optimizer optimizer, long step)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var groups = OptimizerGroups.Of(optimizer);
        for (var g = 0; g < groups.Count; g++)
            LogScalar(LoggedScalars.LearningRateName(null, g, groups.Count), groups[g].LearningRate, step);
    }

    /// <summary>Logs text (markdown) for TensorBoard's text plugin.</summary>
    public void LogText(string tag, string text, long step)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentException.ThrowIfNullOrEmpty(tag);
        ArgumentNullException.ThrowIfNull(text);
        summary.Clear();
        value.Clear();
        value.String(ValueTag, tag);
        PluginMetadata(value, "text", []);
        scratch.Clear();
        scratch.Int64(TensorDtype, DtString);
        inner.Clear();
        var dim = new ProtoWriter();
        dim.Int64(DimSize, 1);
        inner.Message(ShapeDim, dim);
        scratch.Message(TensorShape, inner);
        scratch.Bytes(TensorStringVal, Encoding.UTF8.GetBytes(text));
        value.Message(ValueTensor, scratch);
        summary.Message(SummaryValue, value);
        WriteSummary(step);
    }

    /// <summary>
    /// Logs the run's hyperparameters for TensorBoard's hparams plugin (an experiment listing them and
    /// <paramref name="metricTags"/>, and this run's session start; <see cref="Dispose"/> or
    /// <see cref="EndSession"/> writes the session end), and as a markdown table under the text tag <c>hparams</c>.
    /// </summary>
    public void LogHyperparameters(HyperparameterValues hyperparameters, IReadOnlyList<string> metricTags)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        ArgumentNullException.ThrowIfNull(metricTags);
        if (hparamsWritten)
            throw new InvalidOperationException("The hyperparameters of this run were already logged.");
        hparamsWritten = true;
        var values = hyperparameters.Names.Select(name => HParam.Of(hyperparameters, name)).ToList();

        var experiment = new ProtoWriter();
        foreach (var v in values)
        {
            var info = new ProtoWriter();
            info.String(HParamInfoName, v.Name);
            info.Int64(HParamInfoType, v.Flag is not null ? 2 : v.Number is not null ? 3 : 1);
            experiment.Message(ExperimentHParamInfos, info);
        }
        foreach (var tag in metricTags)
        {
            var metricName = new ProtoWriter();
            metricName.String(MetricNameTag, tag);
            var info = new ProtoWriter();
            info.Message(MetricInfoName, metricName);
            experiment.Message(ExperimentMetricInfos, info);
        }
        WriteHParams("_hparams_/experiment", HParamsExperiment, experiment);

        var start = new ProtoWriter();
        foreach (var v in values)
        {
            var protoValue = new ProtoWriter();
            if (v.Flag is { } flag)
                protoValue.Int64(ValueBool, flag ? 1 : 0);
            else if (v.Number is { } number)
                protoValue.Double(ValueNumber, number);
            else
                protoValue.String(ValueString, v.Text);
            var entry = new ProtoWriter();
            entry.String(MapKey, v.Name);
            entry.Message(MapValue, protoValue);
            start.Message(SessionStartHParams, entry);
        }
        start.Double(SessionStartTime, WallTime());
        WriteHParams("_hparams_/session_start_info", HParamsSessionStart, start);

        var table = new StringBuilder("| hyperparameter | value |\n| --- | --- |\n");
        foreach (var v in values)
            table.Append("| ").Append(v.Name).Append(" | ").Append(v.Text).Append(" |\n");
        LogText("hparams", table.ToString(), 0);
    }

    // One value as the hparams plugin types it: a flag, a number, or text (a recorded null is "none");
    // Text is what the table shows for every kind.
    readonly record struct HParam(string Name, bool? Flag, double? Number, string Text)
    {
        public static HParam Of(HyperparameterValues values, string name)
        {
            if (values.TryGetBoolean(name, out var flag))
                return new(name, flag, null, flag ? "true" : "false");
            if (values.TryGetDouble(name, out var number))
                return new(name, null, number, number.ToString("R", CultureInfo.InvariantCulture));
            values.TryGetString(name, out var text);
            return new(name, null, null, text ?? "none");
        }
    }

    /// <summary>Writes the hparams session end (success or failure); done by <see cref="Dispose"/> when hyperparameters were logged.</summary>
    public void EndSession(bool success = true)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (!hparamsWritten)
            return;
        hparamsWritten = false;
        var end = new ProtoWriter();
        end.Int64(SessionEndStatus, success ? StatusSuccess : StatusFailure);
        end.Double(SessionEndTime, WallTime());
        WriteHParams("_hparams_/session_end_info", HParamsSessionEnd, end);
    }

    void WriteHParams(string tag, int field, ProtoWriter data)
    {
        var content = new ProtoWriter();
        content.Int64(HParamsVersion, 0);
        content.Message(field, data);
        summary.Clear();
        value.Clear();
        value.String(ValueTag, tag);
        PluginMetadata(value, "hparams", content.Written);
        summary.Message(SummaryValue, value);
        WriteSummary(0);
    }

    static void PluginMetadata(ProtoWriter target, string plugin, ReadOnlySpan<byte> content)
    {
        var pluginData = new ProtoWriter();
        pluginData.String(PluginName, plugin);
        if (!content.IsEmpty)
            pluginData.Bytes(PluginContent, content);
        var metadata = new ProtoWriter();
        metadata.Message(MetadataPluginData, pluginData);
        target.Message(ValueMetadata, metadata);
    }

    void WriteSummary(long step)
    {
        record.Clear();
        record.Double(EventWallTime, WallTime());
        record.Int64(EventStep, step);
        record.Message(EventSummary, summary);
        WriteRecord(record.Written);
    }

    /// <summary>One TFRecord: uint64 length, masked CRC of the length, data, masked CRC of the data (little-endian).</summary>
    void WriteRecord(ReadOnlySpan<byte> data)
    {
        var size = 8 + 4 + data.Length + 4;
        if (frame.Length < size)
            frame = new byte[Math.Max(size, frame.Length * 2)];
        var span = frame.AsSpan(0, size);
        BinaryPrimitives.WriteUInt64LittleEndian(span, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], Crc32C.Masked(span[..8]));
        data.CopyTo(span[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(12 + data.Length)..], Crc32C.Masked(data));
        stream!.Write(span);
        stream.Flush();
    }

    /// <summary>Flushes the file to the operating system.</summary>
    public void Flush() => stream?.Flush();

    /// <summary>Ends the hparams session (success) if one was started, and closes the file.</summary>
    public void Dispose()
    {
        if (disposed)
            return;
        EndSession();
        disposed = true;
        stream?.Dispose();
    }
}
