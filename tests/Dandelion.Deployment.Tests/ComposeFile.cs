using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Dandelion.Deployment.Tests;

/// <summary>A compose file read with YamlDotNet, for checks that need no Docker engine.</summary>
internal sealed partial class ComposeFile
{
    private ComposeFile(string path, YamlMappingNode root)
    {
        Path = path;
        Root = root;
    }

    public string Path { get; }
    public string Directory => System.IO.Path.GetDirectoryName(Path)!;
    public YamlMappingNode Root { get; }

    public static ComposeFile Load(string path)
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(path))
            yaml.Load(reader);
        return new ComposeFile(path, (YamlMappingNode)yaml.Documents[0].RootNode);
    }

    public YamlMappingNode Services => Mapping(Root, "services") ?? throw new InvalidDataException($"{Path} has no services.");

    public IEnumerable<(string Name, YamlMappingNode Service)> AllServices =>
        Services.Children.Select(c => (((YamlScalarNode)c.Key).Value!, (YamlMappingNode)c.Value));

    public YamlMappingNode Service(string name) =>
        Mapping(Services, name) ?? throw new InvalidDataException($"{Path} has no service '{name}'.");

    public IReadOnlySet<string> DeclaredVolumes =>
        (Mapping(Root, "volumes")?.Children.Keys ?? []).Select(k => ((YamlScalarNode)k).Value!).ToHashSet();

    public IReadOnlySet<string> DeclaredNetworks =>
        (Mapping(Root, "networks")?.Children.Keys ?? []).Select(k => ((YamlScalarNode)k).Value!).ToHashSet();

    public static YamlNode? Node(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static YamlMappingNode? Mapping(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value as YamlMappingNode : null;

    public static YamlSequenceNode? Sequence(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value as YamlSequenceNode : null;

    public static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;

    public static IReadOnlyList<string> Strings(YamlNode? node) => node switch
    {
        YamlSequenceNode s => s.Children.Select(c => ((YamlScalarNode)c).Value!).ToList(),
        YamlScalarNode s when s.Value is not null => [s.Value],
        _ => [],
    };

    /// <summary>A service's environment as written (before interpolation), from either the map or the list form.</summary>
    public static IReadOnlyDictionary<string, string> Environment(YamlMappingNode service)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!service.Children.TryGetValue(new YamlScalarNode("environment"), out var node))
            return result;
        if (node is YamlMappingNode map)
        {
            foreach (var (key, value) in map.Children)
                result[((YamlScalarNode)key).Value!] = (value as YamlScalarNode)?.Value ?? "";
        }
        else
        {
            foreach (var item in Strings(node))
            {
                var eq = item.IndexOf('=', StringComparison.Ordinal);
                result[eq < 0 ? item : item[..eq]] = eq < 0 ? "" : item[(eq + 1)..];
            }
        }
        return result;
    }

    /// <summary>
    /// Compose's interpolation: <c>$$</c>, <c>${NAME}</c>, <c>${NAME:-default}</c>,
    /// <c>${NAME-default}</c>, <c>${NAME:?error}</c>, <c>${NAME?error}</c>, <c>$NAME</c>. A
    /// required variable missing from <paramref name="variables"/> throws, as compose refuses to start.
    /// </summary>
    public static string Interpolate(string text, IReadOnlyDictionary<string, string> variables)
    {
        var result = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '$')
            {
                result.Append(text[i++]);
                continue;
            }
            if (i + 1 < text.Length && text[i + 1] == '$')
            {
                result.Append('$');
                i += 2;
                continue;
            }
            var match = Variable().Match(text, i);
            if (!match.Success)
                throw new FormatException($"'{text}' has a '$' at {i} that is not a variable (write $$ for a dollar).");
            var name = match.Groups["braced"].Success ? match.Groups["braced"].Value : match.Groups["bare"].Value;
            var op = match.Groups["op"].Value;
            var argument = match.Groups["arg"].Value;
            variables.TryGetValue(name, out var value);
            var unsetOrEmpty = string.IsNullOrEmpty(value);
            var unset = value is null;
            result.Append(op switch
            {
                ":-" => unsetOrEmpty ? argument : value,
                "-" => unset ? argument : value,
                ":?" => unsetOrEmpty ? throw new KeyNotFoundException($"{name}: {argument}") : value,
                "?" => unset ? throw new KeyNotFoundException($"{name}: {argument}") : value,
                _ => value ?? "",
            });
            i += match.Length;
        }
        return result.ToString();
    }

    /// <summary>The variables a text interpolates, with whether compose requires them.</summary>
    public static IEnumerable<(string Name, bool Required)> Variables(string text) =>
        AnyVariable().Matches(text).Where(m => m.Index == 0 || text[m.Index - 1] != '$')
            .Select(m => (m.Groups["braced"].Success ? m.Groups["braced"].Value : m.Groups["bare"].Value, m.Groups["op"].Value.EndsWith('?')));

    [GeneratedRegex(@"\G\$(?:\{(?<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:-|-|:\?|\?)(?<arg>[^}]*))?\}|(?<bare>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex Variable();

    [GeneratedRegex(@"\$(?:\{(?<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:-|-|:\?|\?)(?<arg>[^}]*))?\}|(?<bare>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex AnyVariable();
}
