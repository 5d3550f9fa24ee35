using System.Linq;
using Pipelines.Generators.Model;

namespace Pipelines.Generators.Emit;

/// <summary>
/// The typed hyperparameters record (one property per [Hyperparameter] member) with its
/// reflection-free list and JSON form, and <c>CaptureHyperparameters</c>, which reads the members.
/// </summary>
internal static class HyperparametersEmitter
{
    public static void Emit(IndentedWriter w, PipelineModel p)
    {
        var cref = p.Name + p.TypeParameters.Replace('<', '{').Replace('>', '}');
        var parameters = string.Join(", ", p.Hyperparameters.Select(h => h.Type + " " + h.Property));
        w.Line("/// <summary>The [Hyperparameter] members of <see cref=\"" + cref + "\"/>, captured when a run starts (the values it trained with).</summary>");
        w.Line("public sealed record " + TypeNames.Hyperparameters + "(" + parameters + ") : " + TypeNames.IHyperparameters);
        w.Open();
        w.Line("/// <inheritdoc />");
        var list = TypeNames.IReadOnlyList + "<" + TypeNames.Hyperparameter + ">";
        if (p.Hyperparameters.Count == 0)
        {
            w.Line("public " + list + " ToList() => global::System.Array.Empty<" + TypeNames.Hyperparameter + ">();");
        }
        else
        {
            w.Line("public " + list + " ToList() => new " + TypeNames.Hyperparameter + "[]");
            w.Line("{");
            foreach (var h in p.Hyperparameters)
                w.Indented("new(\"" + h.Property + "\", typeof(" + h.TypeOf + "), " + h.Property + "),");
            w.Line("};");
        }
        w.Line();
        w.Line("/// <inheritdoc />");
        w.Line("public void WriteJson(" + TypeNames.Utf8JsonWriter + " writer)");
        w.Open();
        w.Line(TypeNames.ArgumentNullException + ".ThrowIfNull(writer);");
        w.Line("writer.WriteStartObject();");
        foreach (var h in p.Hyperparameters)
            w.Line(TypeNames.HyperparameterJson + "." + h.JsonWriter + "(writer, \"" + h.Property + "\", " + h.Property + ");");
        w.Line("writer.WriteEndObject();");
        w.Close();
        if (CommandLineEmitter.CanEmit(p))
        {
            w.Line();
            CommandLineEmitter.Emit(w, p);
        }
        w.Close();
        w.Line();
        w.Line("/// <summary>The current values of the [Hyperparameter] members (<c>Fit</c> captures them when it starts).</summary>");
        var values = string.Join(", ", p.Hyperparameters.Select(h => h.Read(p.Name + p.TypeParameters)));
        if (p.Hyperparameters.Count > 0)
            w.Line("public " + TypeNames.Hyperparameters + " CaptureHyperparameters() =>").Indented("new " + TypeNames.Hyperparameters + "(" + values + ");");
        else
            w.Line("public " + TypeNames.Hyperparameters + " CaptureHyperparameters() => new " + TypeNames.Hyperparameters + "();");
    }
}
