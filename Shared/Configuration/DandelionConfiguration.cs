using Microsoft.Extensions.Configuration;

namespace Dandelion.Shared.Configuration;

/// <summary>
/// Where every node reads its settings, later sources winning:
/// <list type="number">
/// <item>the YAML file named by <c>--config</c>, else <c>DANDELION_CONFIG</c>, else <c>config.yaml</c>
/// in the working directory (optional: every key has a default);</item>
/// <item>environment variables prefixed <c>DANDELION_</c>, sections joined by <c>__</c>
/// (<c>DANDELION_Entrance__Redis=redis:6379</c>);</item>
/// <item>command-line arguments (<c>--Entrance:Redis=redis:6379</c>).</item>
/// </list>
/// </summary>
public static class DandelionConfiguration
{
    public const string EnvironmentPrefix = "DANDELION_";
    public const string FileVariable = "DANDELION_CONFIG";
    public const string DefaultFile = "config.yaml";

    public static IConfigurationBuilder AddDandelionConfiguration(this IConfigurationBuilder builder, string[] args)
    {
        var explicitFile = FindArgument(args, "--config") ?? Environment.GetEnvironmentVariable(FileVariable);
        if (explicitFile is { Length: > 0 })
        {
            var full = Path.GetFullPath(explicitFile);
            if (!File.Exists(full))
                throw new FileNotFoundException($"The configuration file '{full}' (from --config or {FileVariable}) does not exist.", full);
            builder.Add(Yaml(full, optional: false));
        }
        else
        {
            builder.Add(Yaml(Path.GetFullPath(DefaultFile), optional: true));
        }

        builder.AddEnvironmentVariables(EnvironmentPrefix);
        builder.AddCommandLine(args.Where(a => a != "--config").ToArray());
        return builder;
    }

    private static YamlConfigurationSource Yaml(string fullPath, bool optional)
    {
        var source = new YamlConfigurationSource { Path = fullPath, Optional = optional, ReloadOnChange = false };
        // An absolute path needs a file provider rooted at its own directory.
        source.ResolveFileProvider();
        return source;
    }

    private static string? FindArgument(string[] args, string name)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == name && i + 1 < args.Length)
                return args[i + 1];
            if (args[i].StartsWith(name + "=", StringComparison.Ordinal))
                return args[i][(name.Length + 1)..];
        }
        return null;
    }
}
