using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using Pipelines.Generators.Model;
using Pipelines.Rules;

namespace Pipelines.Generators.Emit;

/// <summary>
/// The hyperparameters record's command line: <c>CommandLineOptions</c> (one option per
/// [Hyperparameter] member, help from its doc summary, default from its initialiser) and
/// <c>TryParse</c>, which converts each value with a direct, typed call: no reflection, so a
/// trimmed or NativeAOT program keeps everything it needs. Emitted when every instance
/// hyperparameter has a type that reads from text.
/// </summary>
internal static class CommandLineEmitter
{
    const string Option = "global::Pipelines.CommandLine.CommandLineOption";
    const string Parser = "global::Pipelines.CommandLine.CommandLineParser";
    const string Values = "global::Pipelines.CommandLine.CommandLineValues";
    const string Trainer = "global::Pipelines.CommandLine.TrainerSettings";
    const string Writers = "global::System.IO.TextWriter? output = null, global::System.IO.TextWriter? error = null";

    public static bool CanEmit(PipelineModel p) =>
        p.Hyperparameters.Any(h => h.Option is not null) && p.Hyperparameters.All(h => h.IsStatic || h.Option is not null);

    public static void Emit(IndentedWriter w, PipelineModel p)
    {
        var options = p.Hyperparameters.Where(h => h.Option is not null).ToList();
        w.Line("/// <summary>The command-line options, one per settable [Hyperparameter] member, in declaration order.</summary>");
        w.Line("public static " + TypeNames.IReadOnlyList + "<" + Option + "> CommandLineOptions { get; } = new " + Option + "[]");
        w.Line("{");
        foreach (var h in options)
        {
            var o = h.Option!;
            var declaration = Literal(o.Name) + ", " + Literal(h.Property) + ", " + Literal(o.ValueName) + ", " + Literal(o.Description) + ", "
                + (o.DefaultText is null ? "null" : Literal(o.DefaultText));
            if (o.IsFlag)
                declaration += ", isFlag: true";
            if (o.Parse == OptionParse.Enum)
                declaration += ", allowedValues: new string[] { " + string.Join(", ", o.EnumMembers.Select(Literal)) + " }";
            w.Indented("new(" + declaration + "),");
        }
        w.Line("};");
        w.Line();

        var hyperparametersOut = "[global::System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out " + TypeNames.Hyperparameters + "? hyperparameters";
        w.Line("/// <summary>");
        w.Line("/// Reads the hyperparameters from command-line arguments (<c>--name value</c>, <c>--name=value</c>,");
        w.Line("/// <c>--flag</c>/<c>--no-flag</c>); an option not given keeps its member's initial value. Returns false");
        w.Line("/// after writing the help (<c>--help</c>, exit code 0) to <paramref name=\"output\"/> or an error naming the");
        w.Line("/// option at fault (exit code 2) to <paramref name=\"error\"/> (the console's streams by default).");
        w.Line("/// </summary>");
        w.Line("public static bool TryParse(string[] args, " + hyperparametersOut + ", out int exitCode, " + Writers + ")");
        w.Open();
        w.Line("output ??= global::System.Console.Out;");
        w.Line("error ??= global::System.Console.Error;");
        w.Line("hyperparameters = null;");
        w.Line("var values = new string?[" + options.Count + "];");
        w.Line("if (!" + Parser + ".TryRead(args, CommandLineOptions, values, output, error, out exitCode))");
        w.Indented("return false;");
        w.Line("return TryBind(values, error, out hyperparameters, out exitCode);");
        w.Close();
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// Reads the hyperparameters and the trainer settings (<see cref=\"" + Trainer + "\"/>: epochs, limits, device,");
        w.Line("/// run directory, resume, ...) from one command line, like LightningCLI's <c>--model.*</c> and <c>--trainer.*</c>;");
        w.Line("/// the trainer settings are not hyperparameters: they are neither recorded nor compared on resume.");
        w.Line("/// Returns false after writing the help (exit code 0) or an error naming the option at fault (exit code 2).");
        w.Line("/// </summary>");
        w.Line("public static bool TryParse(string[] args, " + Trainer + " trainerDefaults, " + hyperparametersOut
            + ", [global::System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out " + Trainer + "? trainer, out int exitCode, " + Writers + ") =>");
        w.Indented("global::Pipelines.CommandLine.PipelineCommandLine.TryParse(args, CommandLineOptions, TryBind, trainerDefaults, out hyperparameters, out trainer, out exitCode, output, error);");
        w.Line();
        w.Line("/// <summary>Converts the option texts <see cref=\"CommandLineOptions\"/> matched (null: not given) into the hyperparameters; false after writing an error naming the option (exit code 2).</summary>");
        w.Line("public static bool TryBind(global::System.ReadOnlySpan<string?> values, global::System.IO.TextWriter error, " + hyperparametersOut + ", out int exitCode)");
        w.Open();
        w.Line("hyperparameters = null;");
        w.Line("exitCode = 0;");
        var arguments = new System.Collections.Generic.List<string>();
        var typeName = p.Name + p.TypeParameters;
        foreach (var h in p.Hyperparameters)
        {
            if (h.Option is not { } o)
            {
                arguments.Add(h.Read(typeName));
                continue;
            }
            var i = options.IndexOf(h);
            string value = "value" + i, text = "text" + i, parsed = "parsed" + i;
            arguments.Add(value);
            var invalid = "return " + Parser + ".Invalid(error, CommandLineOptions[" + i + "], " + text + ", out exitCode";
            w.Line();
            w.Line("// " + h.Member + ": " + o.Name);
            w.Line(h.Type + " " + value + " = " + (o.DefaultExpression ?? "default!") + ";");
            w.Line("if (values[" + i + "] is { } " + text + ")");
            w.Open();
            var prefix = "";
            if (o.IsNullable)
            {
                w.Line("if (" + text + " is \"none\" or \"null\")");
                w.Indented(value + " = null;");
                prefix = "else ";
            }
            switch (o.Parse)
            {
                case OptionParse.Values:
                    w.Line(prefix + "if (" + Values + ".TryParse(" + text + ", out " + o.ValueType + " " + parsed + "))");
                    w.Indented(value + " = " + parsed + ";");
                    w.Line("else");
                    w.Indented(invalid + ");");
                    break;
                case OptionParse.Enum:
                    foreach (var member in o.EnumMembers)
                    {
                        w.Line(prefix + "if (global::System.String.Equals(" + text + ", " + Literal(member) + ", global::System.StringComparison.OrdinalIgnoreCase))");
                        w.Indented(value + " = " + o.ValueType + "." + member + ";");
                        prefix = "else ";
                    }
                    w.Line("else");
                    w.Indented(invalid + ");");
                    break;
                case OptionParse.Parse or OptionParse.ParseInvariant:
                    if (o.IsNullable)
                        w.Line("else").Open();
                    w.Line("try");
                    w.Open();
                    w.Line(value + " = " + o.ValueType + ".Parse(" + text
                        + (o.Parse == OptionParse.ParseInvariant ? ", global::System.Globalization.CultureInfo.InvariantCulture" : "") + ");");
                    w.Close();
                    w.Line("catch (global::System.FormatException exception)");
                    w.Open().Line(invalid + ", exception.Message);").Close();
                    w.Line("catch (global::System.ArgumentException exception)");
                    w.Open().Line(invalid + ", exception.Message);").Close();
                    if (o.IsNullable)
                        w.Close();
                    break;
            }
            w.Close();
        }
        w.Line();
        w.Line("hyperparameters = new " + TypeNames.Hyperparameters);
        w.Line("{");
        foreach (var (h, argument) in p.Hyperparameters.Zip(arguments, (h, a) => (h, a)))
            w.Indented(h.Property + " = " + argument + ",");
        w.Line("};");
        w.Line("return true;");
        w.Close();
    }

    static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);
}
