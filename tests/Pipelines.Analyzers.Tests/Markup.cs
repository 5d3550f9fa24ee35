using Microsoft.CodeAnalysis.Text;

namespace Pipelines.Analyzers.Tests;

/// <summary>
/// Source with expected diagnostics marked in it: <c>[|text|]</c> expects the test's default
/// diagnostic on <c>text</c>, <c>{|PIPE007:text|}</c> names the ID. Marks may nest.
/// </summary>
internal sealed record Markup(string Source, IReadOnlyList<(string Id, TextSpan Span)> Expected)
{
    public static Markup Parse(string marked, string? defaultId)
    {
        var text = new System.Text.StringBuilder(marked.Length);
        var open = new Stack<(string Id, int Start)>();
        var expected = new List<(string, TextSpan)>();
        for (var i = 0; i < marked.Length; i++)
        {
            if (Starts(marked, i, "[|"))
            {
                open.Push((defaultId ?? throw new InvalidOperationException("[| |] needs a default diagnostic ID"), text.Length));
                i++;
            }
            else if (Starts(marked, i, "{|"))
            {
                var colon = marked.IndexOf(':', i);
                open.Push((marked.Substring(i + 2, colon - i - 2), text.Length));
                i = colon;
            }
            else if (Starts(marked, i, "|]") || Starts(marked, i, "|}"))
            {
                var (id, start) = open.Pop();
                expected.Add((id, TextSpan.FromBounds(start, text.Length)));
                i++;
            }
            else
                text.Append(marked[i]);
        }
        if (open.Count > 0)
            throw new InvalidOperationException("Unclosed markup in:\n" + marked);
        return new Markup(text.ToString(), expected);
    }

    static bool Starts(string s, int i, string token) => string.CompareOrdinal(s, i, token, 0, token.Length) == 0;
}
