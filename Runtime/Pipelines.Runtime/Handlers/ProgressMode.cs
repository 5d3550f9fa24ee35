namespace Pipelines.Handlers;

/// <summary>How the progress bar and the metrics table render.</summary>
public enum ProgressMode
{
    /// <summary><see cref="Live"/> on an interactive terminal, <see cref="Plain"/> when the output is redirected or a CI variable is set.</summary>
    Auto,

    /// <summary>One line redrawn in place, with a bar (Spectre.Console markup).</summary>
    Live,

    /// <summary>A plain text line every <see cref="ProgressBarOptions.PlainEvery"/> iterations and at each epoch's end: logs and CI stay readable.</summary>
    Plain,
}
