using System.Diagnostics;

namespace Pipelines.Runtime.Tests;

/// <summary>Runs /usr/bin/python3 (the interpreter with PyTorch) for cross-checks against PyTorch.</summary>
internal static class PythonTorch
{
    const string Interpreter = "/usr/bin/python3";

    static readonly Lazy<bool> available = new(() =>
        File.Exists(Interpreter) && TryRun("import torch, numpy", out _));

    /// <summary>Whether /usr/bin/python3 exists and imports torch.</summary>
    internal static bool Available => available.Value;

    internal const string SkipReason = "/usr/bin/python3 with torch is not installed, so the PyTorch cross-check cannot run.";

    /// <summary>Runs a script with arguments; throws with its stderr when it fails.</summary>
    internal static string Run(string script, params string[] args)
    {
        if (!TryRun(script, out var output, args))
            throw new InvalidOperationException("python failed:\n" + output);
        return output;
    }

    static bool TryRun(string script, out string output, params string[] args)
    {
        var start = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        output = stdout.Result + stderr;
        return process.ExitCode == 0;
    }
}
