using Microsoft.Extensions.Configuration;

namespace Dandelion.Shared.Configuration;

/// <summary>A YAML file as a configuration source (see <see cref="YamlConfigurationProvider"/>).</summary>
public sealed class YamlConfigurationSource : FileConfigurationSource
{
    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new YamlConfigurationProvider(this);
    }
}
