using System.Linq;
using Pipelines.Generators.Model;

namespace Pipelines.Generators.Emit;

/// <summary>
/// The typed hyperparameters record (one init property per [Hyperparameter] member, with the
/// member's default) with its reflection-free recorded values; the constructor that assigns the
/// members from a record before any user code runs (user constructors chain to it); and
/// <c>CaptureHyperparameters</c>, which reads the members.
/// </summary>
internal static class HyperparametersEmitter
{
    public static void Emit(IndentedWriter w, PipelineModel p)
    {
        w.Line("/// <summary>The [Hyperparameter] members of <see cref=\"" + p.Type.Cref + "\"/>: what the pipeline is created with (the argument of its constructor) and captured as (the values it trained with).</summary>");
        w.Line("public sealed record " + TypeNames.Hyperparameters + " : " + TypeNames.IHyperparameters);
        w.Open();
        foreach (var h in p.Members.Hyperparameters)
        {
            var description = h.Option is { Description.Length: > 0 } o ? System.Security.SecurityElement.Escape(o.Description) : "[Hyperparameter] " + h.Member + ".";
            w.Line("/// <summary>" + description + "</summary>");
            if (h.Option is { Default: null })
                w.Line("public required " + h.Type + " " + h.Property + " { get; init; }");
            else
                w.Line("public " + h.Type + " " + h.Property + " { get; init; } = " + Default(h, p.Type.FullName) + ";");
            w.Line();
        }
        w.Line("/// <inheritdoc />");
        w.Line("public " + TypeNames.HyperparameterValues + " ToValues()");
        w.Open();
        w.Line("var values = new " + TypeNames.HyperparameterValues + "();");
        foreach (var h in p.Members.Hyperparameters)
            w.Line("values." + Recorder(h.Recording) + "(\"" + h.Property + "\", " + h.Property + ");");
        w.Line("return values;");
        w.Close();
        if (CommandLineEmitter.CanEmit(p))
        {
            w.Line();
            CommandLineEmitter.Emit(w, p);
        }
        w.Close();
        w.Line();
        EmitConstructors(w, p);
        w.Line("/// <summary>The current values of the [Hyperparameter] members (<c>Fit</c> captures them when it starts).</summary>");
        if (p.Members.Hyperparameters.Count > 0)
        {
            w.Line("public " + TypeNames.Hyperparameters + " CaptureHyperparameters() => new " + TypeNames.Hyperparameters);
            w.Line("{");
            foreach (var h in p.Members.Hyperparameters)
                w.Indented(h.Property + " = " + h.Read(p.Type.FullName) + ",");
            w.Line("};");
        }
        else
        {
            w.Line("public " + TypeNames.Hyperparameters + " CaptureHyperparameters() => new " + TypeNames.Hyperparameters + "();");
        }
    }

    /// <summary>The <c>HyperparameterValues</c> method that records a value (typed, or as its text).</summary>
    static string Recorder(HyperparameterRecording recording) => recording == HyperparameterRecording.Typed ? "Set" : "SetText";

    /// <summary>The record's default: the option's constant, a static member's value, or (for a member the command line cannot set) the type's default.</summary>
    static string Default(HyperparameterModel h, string typeName) =>
        h.Option is { Default: { } value } ? value.Expression : h.IsStatic ? h.Read(typeName) : "default!";

    /// <summary>
    /// <c>Name(Hyperparameters)</c>, which assigns every settable member before the constructor that
    /// chains to it runs, so no member can be forgotten or read before it is set; and, for a class
    /// that declares no constructor, a parameterless one with the defaults. It is public only where it
    /// is the way to create the pipeline: a class that declares a constructor gets it private, so that
    /// no public constructor skips the body of the user's (PIPE032 has each of them chain to it), and
    /// so does a class with no member to set, where it is there so that <c>: this(new Hyperparameters())</c>
    /// works in every pipeline.
    /// </summary>
    static void EmitConstructors(IndentedWriter w, PipelineModel p)
    {
        var assigned = p.Members.Hyperparameters.Where(h => h.SetByConstructor).ToList();
        if (p.Declares(UserDeclarations.HyperparameterConstructor) || p.Type.Kind.IsValueType())
            return;
        var isPublic = assigned.Count > 0 && !p.Declares(UserDeclarations.Constructor);
        if (assigned.Count == 0)
        {
            w.Line("/// <summary>Sets nothing (no [Hyperparameter] member to set): what a constructor of yours chains to, <c>: this(new Hyperparameters())</c>, as in every pipeline.</summary>");
            w.Line("/// <param name=\"hyperparameters\">The values (none).</param>");
        }
        else
        {
            w.Line("/// <summary>");
            w.Line("/// " + (isPublic ? "Creates the pipeline with" : "Sets") + " the [Hyperparameter] members " + string.Join(", ", assigned.Select(h => h.Member)) + " " + (isPublic ? "set " : "") + "from");
            w.Line("/// <paramref name=\"hyperparameters\"/> before anything else runs. " + (isPublic
                ? "A constructor of your own chains to it"
                : "Private: your constructors chain to it"));
            w.Line("/// (<c>: this(hyperparameters)</c>) and can read them in " + (isPublic ? "its body." : "their bodies, which no public constructor skips."));
            w.Line("/// </summary>");
            w.Line("/// <param name=\"hyperparameters\">The values (<c>new Hyperparameters { ... }</c>, or read from a command line).</param>");
        }
        // The other members are the chaining constructor's to set (or their initialisers').
        w.Line("#pragma warning disable CS8618");
        w.Line((isPublic ? "public " : "private ") + p.Type.Name + "(" + TypeNames.Hyperparameters + " hyperparameters)");
        w.Line("#pragma warning restore CS8618");
        w.Open();
        w.Line(TypeNames.ArgumentNullException + ".ThrowIfNull(hyperparameters);");
        foreach (var h in assigned)
            w.Line("this." + h.Member + " = hyperparameters." + h.Property + ";");
        w.Close();
        w.Line();
        if (!p.Declares(UserDeclarations.Constructor) && assigned.All(h => h.Option!.Default is not null))
        {
            w.Line(assigned.Count == 0 ? "/// <summary>Creates the pipeline.</summary>" : "/// <summary>Creates the pipeline with the [Hyperparameter] members' defaults.</summary>");
            w.Line("public " + p.Type.Name + "()");
            w.Indented(": this(new " + TypeNames.Hyperparameters + "())");
            w.Open().Close();
            w.Line();
        }
    }
}
