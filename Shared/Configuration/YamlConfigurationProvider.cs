using Microsoft.Extensions.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Dandelion.Shared.Configuration;

/// <summary>
/// Flattens a YAML document into configuration keys: mappings become sections
/// (<c>entrance: {redis: x}</c> is <c>entrance:redis</c>), sequences become indexed
/// children (<c>peers: [a, b]</c> is <c>peers:0</c>, <c>peers:1</c>), as the JSON provider does.
/// </summary>
public sealed class YamlConfigurationProvider(YamlConfigurationSource source) : FileConfigurationProvider(source)
{
    public override void Load(Stream stream)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(stream);
            yaml.Load(reader);
        }
        catch (YamlException ex)
        {
            throw new FormatException($"The configuration file is not valid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}", ex);
        }

        if (yaml.Documents.Count > 0)
            Flatten(yaml.Documents[0].RootNode, prefix: null, data);
        Data = data;
    }

    private static void Flatten(YamlNode node, string? prefix, Dictionary<string, string?> data)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    var name = ((YamlScalarNode)key).Value ?? "";
                    Flatten(value, prefix is null ? name : ConfigurationPath.Combine(prefix, name), data);
                }
                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                    Flatten(sequence.Children[i], ConfigurationPath.Combine(prefix ?? "", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), data);
                break;
            case YamlScalarNode scalar when prefix is not null:
                // "~" and an empty value both mean "not set", so the default applies.
                data[prefix] = scalar.Value is "~" or "null" && scalar.Style == YamlDotNet.Core.ScalarStyle.Plain ? null : scalar.Value;
                break;
        }
    }
}
