using System.CommandLine;
using System.CommandLine.Help;

namespace Pipelines.Generated;

/// <summary>
/// The untyped half of a generated command line: System.CommandLine reads the arguments against
/// the declared options (<c>--name value</c>, <c>--name=value</c>, Boolean switches and their
/// <c>--no-name</c>, required options, <c>--help</c>) and writes the help; this class turns its
/// result into one text per option and its errors into lines that name the option. The generated
/// half converts each text to its member's type with direct, invariant-culture calls (and
/// <c>none</c> for a nullable member), which System.CommandLine's own conversion cannot give
/// without reflection or the current culture; so nothing here or there uses reflection.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
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
        var (root, declared, negations) = Command(options);
        var result = root.Parse([.. args]);
        if (result.Action is HelpAction)
        {
            result.Invoke(new InvocationConfiguration { Output = output, Error = error });
            return false;
        }
        if (result.Errors.Count > 0)
            return Fail(error, Describe(result.Errors[0].Message, options), out exitCode);
        for (var i = 0; i < options.Count; i++)
        {
            var given = result.GetResult(declared[i]) is { Implicit: false } optionResult ? optionResult : null;
            var negated = negations[i] is { } negation && result.GetResult(negation) is { Implicit: false };
            if (given is not null && negated)
                return Fail(error, $"{options[i].Name} is given twice.", out exitCode);
            if (negated)
                values[i] = "false";
            else if (given is not null)
                values[i] = given.Tokens.Count > 0 ? given.Tokens[0].Value : "true";
        }
        return true;
    }

    static (RootCommand Root, Option<string>[] Declared, Option<bool>?[] Negations) Command(IReadOnlyList<CommandLineOption> options)
    {
        var root = new RootCommand("Options are --name value or --name=value; a switch alone means true, and --no-name false.");
        foreach (var version in root.Options.OfType<VersionOption>().ToList())
            root.Options.Remove(version);
        var declared = new Option<string>[options.Count];
        var negations = new Option<bool>?[options.Count];
        for (var i = 0; i < options.Count; i++)
        {
            var option = options[i];
            var symbol = new Option<string>(option.Name)
            {
                Description = option.Description,
                HelpName = Placeholder(option),
                Required = option.IsRequired,
                Arity = option.IsFlag ? ArgumentArity.ZeroOrOne : ArgumentArity.ExactlyOne,
            };
            if (option.DefaultText is { } defaultText)
                symbol.DefaultValueFactory = _ => defaultText;
            root.Options.Add(symbol);
            declared[i] = symbol;
            if (option.IsFlag)
            {
                negations[i] = new Option<bool>("--no-" + option.Name[2..]) { Hidden = true, Arity = ArgumentArity.Zero };
                root.Options.Add(negations[i]!);
            }
        }
        return (root, declared, negations);
    }

    /// <summary>System.CommandLine's message, with a suggestion when an unknown option is close to a declared one.</summary>
    static string Describe(string message, IReadOnlyList<CommandLineOption> options)
    {
        const string Unrecognized = "Unrecognized command or argument '";
        if (!message.StartsWith(Unrecognized, StringComparison.Ordinal))
            return message;
        var token = message[Unrecognized.Length..].TrimEnd('.').TrimEnd('\'');
        return token.StartsWith("--", StringComparison.Ordinal) ? message + Suggestion(options, token) : message;
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
    internal static bool Reject(TextWriter error, CommandLineOption option, string text, string reason, out int exitCode)
    {
        ArgumentNullException.ThrowIfNull(option);
        return Fail(error, $"{option.Name}: '{text}': {reason}", out exitCode);
    }

    static bool Fail(TextWriter error, string message, out int exitCode)
    {
        error.WriteLine("error: " + message);
        error.WriteLine("Run with --help to see the options.");
        exitCode = UsageError;
        return false;
    }

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
