using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Pipelines.Rules;

namespace Pipelines.Generators.Model;

/// <summary>
/// Turns a [Hyperparameter] member into its command-line option: the name from the property
/// (<c>LearningRate</c> -> <c>--learning-rate</c>), the help from the member's XML doc summary,
/// the default from its initialiser when that is a constant. Null for a type that cannot be read from text.
/// </summary>
internal static class OptionModelBuilder
{
    static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat;

    public static OptionModel? Build(ISymbol member, ITypeSymbol type, string property, Compilation compilation, CancellationToken cancellationToken)
    {
        if (OptionTypes.Read(type) is not { } read)
            return null;
        var (valueType, isNullable, parse, valueName) = read;
        var enumMembers = parse == OptionParse.Enum
            ? valueType.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue).Select(f => f.Name).ToList()
            : [];

        var syntax = member.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken);
        var (defaultExpression, defaultText) = Default(syntax, valueType, isNullable, compilation, cancellationToken);
        var optionDefault = defaultExpression is not null && defaultText is not null ? new OptionDefault(defaultExpression, defaultText) : null;
        var declaration = syntax is VariableDeclaratorSyntax { Parent.Parent: FieldDeclarationSyntax field } ? field : syntax;
        var reading = new OptionReading(parse, valueType.ToDisplayString(TypeFormat), isNullable, new EquatableArray<string>(enumMembers));
        return new OptionModel("--" + KebabCase(property), valueName, declaration is null ? "" : Summary(declaration), optionDefault, reading,
            valueType.SpecialType == SpecialType.System_Boolean && !isNullable);
    }

    /// <summary><c>LearningRate</c> -> <c>learning-rate</c>, <c>MaxLR</c> -> <c>max-lr</c>, <c>Epochs2</c> -> <c>epochs2</c>.</summary>
    public static string KebabCase(string name)
    {
        var text = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '_')
            {
                if (text.Length > 0 && text[text.Length - 1] != '-')
                    text.Append('-');
                continue;
            }
            if (char.IsUpper(c) && i > 0 && text.Length > 0 && text[text.Length - 1] != '-'
                && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))))
                text.Append('-');
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString().Trim('-');
    }

    static (string? Expression, string? Text) Default(SyntaxNode? syntax, ITypeSymbol valueType, bool isNullable, Compilation compilation, CancellationToken cancellationToken)
    {
        var initializer = syntax switch
        {
            PropertyDeclarationSyntax property => property.Initializer?.Value,
            VariableDeclaratorSyntax variable => variable.Initializer?.Value,
            _ => null,
        };
        // Without an initialiser a nullable member starts as null; any other one must be given.
        if (initializer is null)
            return isNullable ? ("null", "none") : (null, null);
        var constant = compilation.GetSemanticModel(initializer.SyntaxTree).GetConstantValue(initializer, cancellationToken);
        if (!constant.HasValue)
            return (null, null);
        var value = constant.Value;
        if (value is null)
            return isNullable ? ("null", "none") : (null, null);
        var type = valueType.ToDisplayString(TypeFormat);
        if (valueType.TypeKind == TypeKind.Enum)
        {
            var field = valueType.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value));
            return field is null
                ? ("(" + type + ")(" + Convert.ToString(value, CultureInfo.InvariantCulture) + ")", Convert.ToString(value, CultureInfo.InvariantCulture))
                : (type + "." + field.Name, field.Name);
        }
        return value switch
        {
            bool b => (b ? "true" : "false", b ? "true" : "false"),
            string s => (SymbolDisplay.FormatLiteral(s, quote: true), s.Length == 0 ? "\"\"" : s),
            double d when double.IsNaN(d) => ("double.NaN", "NaN"),
            double d when double.IsInfinity(d) => (d > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity", d > 0 ? "Infinity" : "-Infinity"),
            float f when float.IsNaN(f) => ("float.NaN", "NaN"),
            float f when float.IsInfinity(f) => (f > 0 ? "float.PositiveInfinity" : "float.NegativeInfinity", f > 0 ? "Infinity" : "-Infinity"),
            double d => (d.ToString("R", CultureInfo.InvariantCulture) + "D", d.ToString("R", CultureInfo.InvariantCulture)),
            float f => (f.ToString("R", CultureInfo.InvariantCulture) + "F", f.ToString("R", CultureInfo.InvariantCulture)),
            decimal m => (m.ToString(CultureInfo.InvariantCulture) + "M", m.ToString(CultureInfo.InvariantCulture)),
            long l => (l.ToString(CultureInfo.InvariantCulture) + "L", l.ToString(CultureInfo.InvariantCulture)),
            ulong u => (u.ToString(CultureInfo.InvariantCulture) + "UL", u.ToString(CultureInfo.InvariantCulture)),
            uint u => (u.ToString(CultureInfo.InvariantCulture) + "U", u.ToString(CultureInfo.InvariantCulture)),
            // int, short, byte, ...: a constant converts implicitly to the local's type.
            IFormattable n => (n.ToString(null, CultureInfo.InvariantCulture), n.ToString(null, CultureInfo.InvariantCulture)),
            _ => (null, null),
        };
    }

    /// <summary>The text of the member's <c>&lt;summary&gt;</c>, on one line; crefs as their last name, <c>c</c> as its text.</summary>
    public static string Summary(SyntaxNode declaration)
    {
        var lines = new List<string>();
        foreach (var trivia in declaration.GetLeadingTrivia())
        {
            if (!trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) && !trivia.IsKind(SyntaxKind.SingleLineCommentTrivia))
                continue;
            foreach (var raw in trivia.ToFullString().Split('\n'))
            {
                var line = raw.Trim();
                if (line.StartsWith("///", StringComparison.Ordinal))
                    lines.Add(line.Substring(3));
            }
        }
        if (lines.Count == 0)
            return "";
        var xml = string.Join("\n", lines);
        string text;
        try
        {
            var summary = XElement.Parse("<doc>" + xml + "</doc>", LoadOptions.PreserveWhitespace).Element("summary");
            if (summary is null)
                return "";
            text = string.Concat(summary.Nodes().Select(Render));
        }
        catch (System.Xml.XmlException)
        {
            var match = Regex.Match(xml, "<summary>(.*?)</summary>", RegexOptions.Singleline);
            text = match.Success ? Regex.Replace(match.Groups[1].Value, "<[^>]*>", "") : "";
        }
        return Regex.Replace(text, @"\s+", " ").Trim();
    }

    static string Render(XNode node) => node switch
    {
        XText text => text.Value,
        XElement { Name.LocalName: "see" or "seealso" } see when see.Attribute("cref") is { } cref => LastName(cref.Value),
        XElement { Name.LocalName: "see" } see when see.Attribute("langword") is { } word => word.Value,
        XElement { Name.LocalName: "paramref" or "typeparamref" } reference => reference.Attribute("name")?.Value ?? "",
        XElement element => string.Concat(element.Nodes().Select(Render)),
        _ => "",
    };

    static string LastName(string cref)
    {
        var name = cref;
        var paren = name.IndexOf('(');
        if (paren >= 0)
            name = name.Substring(0, paren);
        var dot = Math.Max(name.LastIndexOf('.'), name.LastIndexOf(':'));
        return dot >= 0 ? name.Substring(dot + 1) : name;
    }
}
