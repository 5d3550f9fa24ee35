using System.Text;

namespace Pipelines.Generators.Emit;

/// <summary>Writes lines of C# at the current indentation; <see cref="Open"/>/<see cref="Close"/> write braces and indent between them.</summary>
internal sealed class IndentedWriter
{
    readonly StringBuilder text = new();
    int depth;

    /// <summary>Writes one line (an empty one without indentation).</summary>
    public IndentedWriter Line(string line = "")
    {
        if (line.Length > 0)
            text.Append(' ', depth * 4).Append(line);
        text.Append('\n');
        return this;
    }

    /// <summary>Writes <c>{</c> and indents.</summary>
    public IndentedWriter Open()
    {
        Line("{");
        depth++;
        return this;
    }

    /// <summary>Unindents and writes <c>}</c>.</summary>
    public IndentedWriter Close()
    {
        depth--;
        return Line("}");
    }

    /// <summary>Indents the next lines by one level (a statement under an <c>if</c> without braces).</summary>
    public IndentedWriter Indented(string line)
    {
        depth++;
        Line(line);
        depth--;
        return this;
    }

    /// <summary>Writes <paramref name="head"/><c>(</c>, then one parameter per indented line, the last followed by <c>)</c> and <paramref name="tail"/>.</summary>
    public IndentedWriter Signature(string head, string[] parameters, string tail = "")
    {
        Line(head + "(");
        for (var i = 0; i < parameters.Length; i++)
            Indented(parameters[i] + (i < parameters.Length - 1 ? "," : ")" + tail));
        return this;
    }

    public override string ToString() => text.ToString();
}
