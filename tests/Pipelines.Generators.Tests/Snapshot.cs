using System.Runtime.CompilerServices;
using System.Text;

namespace Pipelines.Generators.Tests;

/// <summary>
/// Full-file snapshots: generated text is compared with <c>Snapshots/&lt;Test&gt;.verified.cs</c>
/// beside this file. A mismatch writes <c>&lt;Test&gt;.received.cs</c> and fails with a line diff;
/// <c>PIPELINES_ACCEPT_SNAPSHOTS=1</c> writes the verified file instead.
/// </summary>
internal static class Snapshot
{
    const string AcceptVariable = "PIPELINES_ACCEPT_SNAPSHOTS";

    public static void Match(string actual, [CallerMemberName] string test = "", [CallerFilePath] string caller = "")
    {
        var directory = Path.Combine(Path.GetDirectoryName(caller)!, "Snapshots");
        var verified = Path.Combine(directory, test + ".verified.cs");
        var received = Path.Combine(directory, test + ".received.cs");
        actual = Normalize(actual);
        var expected = File.Exists(verified) ? Normalize(File.ReadAllText(verified)) : null;
        if (expected == actual)
        {
            File.Delete(received);
            return;
        }
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }
        File.WriteAllText(received, actual);
        var message = expected is null
            ? $"No snapshot {verified} yet; the output is in {received}. Accept it with {AcceptVariable}=1."
            : $"{test}: generated code differs from {verified} (- verified, + received; the output is in {received}; accept with {AcceptVariable}=1):\n{Diff(expected, actual)}";
        Assert.Fail(message);
    }

    static string Normalize(string text) => text.Replace("\r\n", "\n");

    /// <summary>A line diff (longest common subsequence) showing each change with two lines of context.</summary>
    internal static string Diff(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
            for (var j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        var lines = new List<(char Kind, int Line, string Text)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                lines.Add((' ', y + 1, a[x]));
                x++;
                y++;
            }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                lines.Add(('+', y + 1, b[y]));
                y++;
            }
            else
            {
                lines.Add(('-', x + 1, a[x]));
                x++;
            }
        }
        const int context = 2;
        var output = new StringBuilder();
        var lastShown = -1;
        for (var k = 0; k < lines.Count; k++)
        {
            var near = false;
            for (var d = Math.Max(0, k - context); d <= Math.Min(lines.Count - 1, k + context) && !near; d++)
                near = lines[d].Kind != ' ';
            if (!near)
                continue;
            if (lastShown >= 0 && k > lastShown + 1)
                output.AppendLine("...");
            output.AppendLine($"{lines[k].Kind} {lines[k].Line,4}: {lines[k].Text}");
            lastShown = k;
        }
        return output.ToString();
    }
}
