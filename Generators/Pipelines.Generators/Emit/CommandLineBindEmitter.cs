using System.Collections.Generic;
using Pipelines.Generators.Model;
using Pipelines.Rules;

namespace Pipelines.Generators.Emit;

/// <summary><c>TryBind</c>: each option's text converted by a direct, typed call into its member's type, then the hyperparameters record.</summary>
internal static class CommandLineBindEmitter
{
    public static void Emit(IndentedWriter w, PipelineModel p)
    {
        w.Line("/// <summary>Converts the option texts <see cref=\"CommandLineOptions\"/> matched (null: not given) into the hyperparameters; false after writing an error naming the option (exit code 2).</summary>");
        w.Signature("public static bool TryBind", [TypeNames.ReadOnlySpan + "<string?> values", TypeNames.TextWriter + " error", CommandLineEmitter.HyperparametersOut, "out int exitCode"]);
        w.Open();
        w.Line("hyperparameters = null;");
        w.Line("exitCode = 0;");
        var arguments = new List<string>();
        var index = 0;
        foreach (var h in p.Members.Hyperparameters)
        {
            if (h.Option is { } option)
            {
                EmitOption(w, h, option, index);
                arguments.Add("value" + index++);
            }
            else
            {
                arguments.Add(h.Read(p.Type.FullName));
            }
        }
        w.Line();
        w.Line("hyperparameters = new " + TypeNames.Hyperparameters);
        w.Line("{");
        for (var i = 0; i < arguments.Count; i++)
            w.Indented(p.Members.Hyperparameters[i].Property + " = " + arguments[i] + ",");
        w.Line("};");
        w.Line("return true;");
        w.Close();
    }

    static void EmitOption(IndentedWriter w, HyperparameterModel h, OptionModel o, int i)
    {
        string value = "value" + i, text = "text" + i;
        w.Line();
        w.Line("// " + h.Member + ": " + o.Name);
        w.Line(h.Type + " " + value + " = " + (o.Default?.Expression ?? "default!") + ";");
        w.Line("if (values[" + i + "] is { } " + text + ")");
        w.Open();
        var prefix = "";
        if (o.Reading.IsNullable)
        {
            w.Line("if (" + text + " is \"none\" or \"null\")");
            w.Indented(value + " = null;");
            prefix = "else ";
        }
        var invalid = "return " + TypeNames.CommandLineParser + ".Invalid(error, CommandLineOptions[" + i + "], " + text + ", out exitCode";
        switch (o.Reading.Parse)
        {
            case OptionParse.Values:
                w.Line(prefix + "if (" + TypeNames.CommandLineValues + ".TryParse(" + text + ", out " + o.Reading.ValueType + " parsed" + i + "))");
                w.Indented(value + " = parsed" + i + ";");
                w.Line("else");
                w.Indented(invalid + ");");
                break;
            case OptionParse.Enum:
                foreach (var member in o.Reading.EnumMembers)
                {
                    w.Line(prefix + "if (" + TypeNames.String + ".Equals(" + text + ", " + CommandLineEmitter.Literal(member) + ", " + TypeNames.StringComparison + ".OrdinalIgnoreCase))");
                    w.Indented(value + " = " + o.Reading.ValueType + "." + member + ";");
                    prefix = "else ";
                }
                w.Line("else");
                w.Indented(invalid + ");");
                break;
            case OptionParse.Parse or OptionParse.ParseInvariant:
                EmitParse(w, o, value, text, invalid);
                break;
        }
        w.Close();
    }

    static void EmitParse(IndentedWriter w, OptionModel o, string value, string text, string invalid)
    {
        if (o.Reading.IsNullable)
            w.Line("else").Open();
        w.Line("try");
        w.Open();
        w.Line(value + " = " + o.Reading.ValueType + ".Parse(" + text + (o.Reading.Parse == OptionParse.ParseInvariant ? ", " + TypeNames.CultureInfo + ".InvariantCulture" : "") + ");");
        w.Close();
        w.Line("catch (" + TypeNames.FormatException + " exception)");
        w.Open().Line(invalid + ", exception.Message);").Close();
        w.Line("catch (" + TypeNames.ArgumentException + " exception)");
        w.Open().Line(invalid + ", exception.Message);").Close();
        if (o.Reading.IsNullable)
            w.Close();
    }
}
