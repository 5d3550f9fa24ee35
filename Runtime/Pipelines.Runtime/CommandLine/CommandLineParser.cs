using System.Text;

namespace Pipelines.CommandLine;

/// <summary>
/// The untyped half of a generated command-line parser: matches arguments to declared options
/// (<c>--name value</c>, <c>--name=value</c>, Boolean switches, <c>--help</c>), writes the help
/// and the errors. The generated half converts each matched value to its member's type with
/// direct calls, so nothing here (or there) uses reflection, and trimming keeps it all.
/// </summary>
public static class CommandLineParser
{
    /// <summary>The exit code for a command line that could not be read (as getopt-style tools use).</summary>
    public const int UsageError = 2;

    /// <summary>
    /// Matches <paramref name="args"/> to <paramref name="options"/>: <paramref name="values"/>[i]
    /// receives the text given for option i (null when absent). Returns false after writing the
    /// help (<c>-h</c>, <c>--help</c>; exit code 0) or an error that names the option at fault
    /// (exit code <see cref="UsageError"/>).
    /// </summary>
    public static bool TryRead(IReadOnlyList<string> args, IReadOnlyList<CommandLineOption> options, string?[] values,
        TextWriter output, TextWriter error, out int exitCode)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (values.Length != options.Count)
            throw new ArgumentException($"values has {values.Length} slots for {options.Count} options.", nameof(values));
        Array.Clear(values);
        exitCode = 0;

        foreach (var arg in args)
        {
            if (arg is "-h" or "--help" or "-?")
            {
                WriteHelp(output, options);
                return false;
            }
        }

        for (var a = 0; a < args.Count; a++)
        {
            var arg = args[a];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
                return Fail(error, $"unexpected argument '{arg}': every value follows its option (--name value).", out exitCode);
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg : arg[..equals];
            string? inline = equals < 0 ? null : arg[(equals + 1)..];

            var index = IndexOf(options, name);
            var negated = false;
            if (index < 0 && name.StartsWith("--no-", StringComparison.Ordinal))
            {
                index = IndexOf(options, "--" + name[5..]);
                negated = index >= 0 && options[index].IsFlag && inline is null;
                if (!negated)
                    index = -1;
            }
            if (index < 0)
                return Fail(error, $"unknown option '{name}'.{Suggestion(options, name)}", out exitCode);

            var option = options[index];
            if (values[index] is not null)
                return Fail(error, $"{option.Name} is given twice.", out exitCode);
            if (negated)
                values[index] = "false";
            else if (inline is not null)
                values[index] = inline;
            else if (option.IsFlag)
                values[index] = "true";
            else if (a + 1 < args.Count && !IsOptionName(args[a + 1]))
                values[index] = args[++a];
            else
                return Fail(error, $"{option.Name} needs a value ({Expected(option)}).", out exitCode);
        }

        for (var i = 0; i < options.Count; i++)
            if (options[i].IsRequired && values[i] is null)
                return Fail(error, $"{options[i].Name} is required ({Expected(options[i])}).", out exitCode);
        return true;
    }

    /// <summary>
    /// Writes the error for a value that does not read as its option's type, naming the option,
    /// the text and what was expected (plus <paramref name="reason"/> when a parser gave one); returns false.
    /// </summary>
    public static bool Invalid(TextWriter error, CommandLineOption option, string text, out int exitCode, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(option);
        var message = $"{option.Name}: '{text}' is not {Expected(option)}." + (string.IsNullOrEmpty(reason) ? "" : " " + reason);
        return Fail(error, message, out exitCode);
    }

    /// <summary>Writes the error for a value of the right type that is still refused (a range, a missing file), naming the option, the text and why; returns false.</summary>
    public static bool Reject(TextWriter error, CommandLineOption option, string text, string reason, out int exitCode)
    {
        ArgumentNullException.ThrowIfNull(option);
        return Fail(error, $"{option.Name}: '{text}': {reason}", out exitCode);
    }

    /// <summary>Writes the usage line and one entry per option: its value, its help text, its default.</summary>
    public static void WriteHelp(TextWriter output, IReadOnlyList<CommandLineOption> options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        var program = Path.GetFileNameWithoutExtension(Environment.ProcessPath) ?? "program";
        output.WriteLine($"Usage: {program} [options]");
        output.WriteLine();
        output.WriteLine("Options:");
        var left = new string[options.Count];
        var width = "-h, --help".Length;
        for (var i = 0; i < options.Count; i++)
        {
            var option = options[i];
            left[i] = option.IsFlag ? $"{option.Name}, --no-{option.Name[2..]}" : $"{option.Name} <{Placeholder(option)}>";
            width = Math.Max(width, left[i].Length);
        }
        for (var i = 0; i < options.Count; i++)
        {
            var option = options[i];
            var text = new StringBuilder(option.Description);
            if (option.DefaultText is { } defaultText)
                text.Append(text.Length > 0 ? " " : "").Append("[default: ").Append(defaultText).Append(']');
            else
                text.Append(text.Length > 0 ? " " : "").Append("[required]");
            output.WriteLine($"  {left[i].PadRight(width)}  {text}");
        }
        output.WriteLine($"  {"-h, --help".PadRight(width)}  Show this help and exit.");
    }

    static bool Fail(TextWriter error, string message, out int exitCode)
    {
        error.WriteLine("error: " + message);
        error.WriteLine("Run with --help to see the options.");
        exitCode = UsageError;
        return false;
    }

    static int IndexOf(IReadOnlyList<CommandLineOption> options, string name)
    {
        for (var i = 0; i < options.Count; i++)
            if (string.Equals(options[i].Name, name, StringComparison.Ordinal))
                return i;
        return -1;
    }

    // "--5" is not an option name, so that a negative number can follow its option ("--shift -1" has one dash anyway).
    static bool IsOptionName(string arg) => arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2 && !char.IsDigit(arg[2]);

    static string Placeholder(CommandLineOption option) =>
        option.AllowedValues is { Count: > 0 } allowed ? string.Join('|', allowed) : option.ValueName;

    static string Expected(CommandLineOption option) => option.AllowedValues is { Count: > 0 } allowed
        ? "one of " + string.Join(", ", allowed)
        : option.IsFlag ? "true or false" : "a valid " + option.ValueName;

    static string Suggestion(IReadOnlyList<CommandLineOption> options, string name)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var option in options)
        {
            var distance = option.Name.Contains(name[2..], StringComparison.Ordinal) && name.Length > 3 ? 1 : Distance(option.Name, name);
            if (distance < bestDistance)
                (best, bestDistance) = (option.Name, distance);
        }
        return best is not null && bestDistance <= Math.Max(2, name.Length / 3) ? $" Did you mean {best}?" : "";
    }

    // Levenshtein distance, for "did you mean" on a mistyped option.
    static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
