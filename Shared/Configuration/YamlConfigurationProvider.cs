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
        using var reader = new StreamReader(stream);
        var parser = new Parser(reader);
        try
        {
            yaml.Load(parser);
        }
        catch (YamlException ex)
        {
            throw new FormatException($"The configuration file is not valid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner throws this, not a YamlException, on some broken input (an
            // unclosed "[a, b"); the last event it read is the nearest place it can name.
            var near = parser.Current?.Start ?? Mark.Empty;
            throw new FormatException($"The configuration file is not valid YAML at line {near.Line}, column {near.Column}: it ends or breaks off inside a structure that is not closed.", ex);
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
                    if (key is not YamlScalarNode { Value: { Length: > 0 } name })
                        throw new FormatException($"The configuration file has a key that is not a plain name at line {key.Start.Line}, column {key.Start.Column}.");
                    Flatten(value, prefix is null ? name : ConfigurationPath.Combine(prefix, name), data);
                }
                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                    Flatten(sequence.Children[i], ConfigurationPath.Combine(prefix ?? "", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), data);
                break;
            case YamlScalarNode scalar when prefix is not null:
                // YAML's null ("~", "null", "Null", "NULL", or nothing at all), unquoted, means
                // "not set": the key is left out, so the option keeps its default. (A key with a
                // null value is not the same: the binder sets the option to 0 or null.) Quoted,
                // it is that text.
                if (IsNull(scalar))
                    data.Remove(prefix);
                else
                    data[prefix] = scalar.Value;
                break;
        }
    }

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style is ScalarStyle.Plain or ScalarStyle.Any &&
        scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
}
