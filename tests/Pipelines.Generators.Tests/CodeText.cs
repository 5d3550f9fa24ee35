namespace Pipelines.Generators.Tests;

/// <summary>Focused asserts on generated code that do not depend on how deep a block is nested.</summary>
internal static class CodeText
{
    /// <summary>Asserts that <paramref name="block"/>'s lines appear in <paramref name="generated"/> one after another, indentation aside.</summary>
    public static void ContainsBlock(string block, string generated) =>
        Assert.Contains(Flatten(block) + "\n", Flatten(generated) + "\n", StringComparison.Ordinal);

    /// <summary>The body of the generated member whose declaration line starts with <paramref name="declaration"/>, up to its closing brace, indentation aside.</summary>
    public static string Member(string generated, string declaration)
    {
        var lines = generated.Split('\n').Select(l => l.Trim()).ToList();
        var start = lines.FindIndex(l => l.StartsWith(declaration, StringComparison.Ordinal));
        Assert.True(start >= 0, "No member starting with " + declaration);
        var depth = 0;
        for (var end = start; end < lines.Count; end++)
        {
            depth += lines[end] == "{" ? 1 : lines[end] == "}" ? -1 : 0;
            if (depth == 0 && lines[end] == "}")
                return string.Join("\n", lines.Skip(start).Take(end - start + 1));
        }
        return string.Join("\n", lines.Skip(start));
    }

    static string Flatten(string text) => string.Join("\n", text.Replace("\r\n", "\n").Split('\n').Select(l => l.Trim()));
}
