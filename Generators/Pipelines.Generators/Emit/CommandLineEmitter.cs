using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using Pipelines.Generators.Model;
using Pipelines.Rules;

namespace Pipelines.Generators.Emit;

/// <summary>
/// The hyperparameters record's command line: <c>CommandLineOptions</c> (one option per
/// [Hyperparameter] member, help from its doc summary, default from its initialiser) and the
/// <c>TryParse</c> entry points; <see cref="CommandLineBindEmitter"/> writes <c>TryBind</c>, which
/// converts each value with a direct, typed call: no reflection, so a trimmed or NativeAOT program
/// keeps everything it needs. Emitted when every instance hyperparameter has a type that reads from text.
/// </summary>
internal static class CommandLineEmitter
{
    const string Output = TypeNames.TextWriter + "? output = null";
    const string Error = TypeNames.TextWriter + "? error = null";

    /// <summary>The <c>out</c> parameter of the parsed hyperparameters, non-null when parsing succeeds.</summary>
    public const string HyperparametersOut = "[" + TypeNames.NotNullWhen + "(true)] out " + TypeNames.Hyperparameters + "? hyperparameters";

    public static bool CanEmit(PipelineModel p) =>
        p.Members.Hyperparameters.Any(h => h.Option is not null) && p.Members.Hyperparameters.All(h => h.IsStatic || h.Option is not null);

    public static void Emit(IndentedWriter w, PipelineModel p)
    {
        EmitOptions(w, p);
        EmitTryParse(w, p.Members.Hyperparameters.Count(h => h.Option is not null));
        w.Line();
        CommandLineBindEmitter.Emit(w, p);
    }

    static void EmitOptions(IndentedWriter w, PipelineModel p)
    {
        w.Line("/// <summary>The command-line options, one per settable [Hyperparameter] member, in declaration order.</summary>");
        w.Line("public static " + TypeNames.IReadOnlyList + "<" + TypeNames.CommandLineOption + "> CommandLineOptions { get; } = new " + TypeNames.CommandLineOption + "[]");
        w.Line("{");
        foreach (var h in p.Members.Hyperparameters)
        {
            if (h.Option is not { } o)
                continue;
            var declaration = Literal(o.Name) + ", " + Literal(h.Property) + ", " + Literal(o.ValueName) + ", " + Literal(o.Description) + ", "
                + (o.Default is null ? "null" : Literal(o.Default.Text));
            if (o.IsFlag)
                declaration += ", isFlag: true";
            if (o.Reading.Parse == OptionParse.Enum)
                declaration += ", allowedValues: new string[] { " + string.Join(", ", o.Reading.EnumMembers.Select(Literal)) + " }";
            w.Indented("new(" + declaration + "),");
        }
        w.Line("};");
        w.Line();
    }

    static void EmitTryParse(IndentedWriter w, int options)
    {
        w.Line("/// <summary>");
        w.Line("/// Reads the hyperparameters from command-line arguments (<c>--name value</c>, <c>--name=value</c>,");
        w.Line("/// <c>--flag</c>/<c>--no-flag</c>); an option not given keeps its member's initial value. Returns false");
        w.Line("/// after writing the help (<c>--help</c>, exit code 0) to <paramref name=\"output\"/> or an error naming the");
        w.Line("/// option at fault (exit code 2) to <paramref name=\"error\"/> (the console's streams by default).");
        w.Line("/// </summary>");
        w.Signature("public static bool TryParse", ["string[] args", HyperparametersOut, "out int exitCode", Output, Error]);
        w.Open();
        w.Line("output ??= " + TypeNames.Console + ".Out;");
        w.Line("error ??= " + TypeNames.Console + ".Error;");
        w.Line("hyperparameters = null;");
        w.Line("var values = new string?[" + options + "];");
        w.Line("if (!" + TypeNames.CommandLineParser + ".TryRead(args, CommandLineOptions, values, output, error, out exitCode))");
        w.Indented("return false;");
        w.Line("return TryBind(values, error, out hyperparameters, out exitCode);");
        w.Close();
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// Reads the hyperparameters and the trainer settings (<see cref=\"" + TypeNames.TrainerSettings + "\"/>: epochs, limits, device,");
        w.Line("/// run directory, resume, ...) from one command line, like LightningCLI's <c>--model.*</c> and <c>--trainer.*</c>;");
        w.Line("/// the trainer settings are not hyperparameters: they are neither recorded nor compared on resume.");
        w.Line("/// Returns false after writing the help (exit code 0) or an error naming the option at fault (exit code 2).");
        w.Line("/// </summary>");
        w.Signature("public static bool TryParse",
            ["string[] args", TypeNames.TrainerSettings + " trainerDefaults", HyperparametersOut, "[" + TypeNames.NotNullWhen + "(true)] out " + TypeNames.TrainerSettings + "? trainer", "out int exitCode", Output, Error],
            " =>");
        w.Indented(TypeNames.PipelineCommandLine + ".TryParse(args, CommandLineOptions, TryBind, trainerDefaults, out hyperparameters, out trainer, out exitCode, output, error);");
    }

    /// <summary>A C# string literal of <paramref name="text"/>.</summary>
    public static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);
}
