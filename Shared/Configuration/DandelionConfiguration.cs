using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;

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
        builder.AddCommandLine(WithoutConfigArgument(args, "--config"));
        return builder;
    }

    private static YamlConfigurationSource Yaml(string fullPath, bool optional)
    {
        // An absolute path needs a file provider rooted at its own directory. Not
        // ResolveFileProvider(): its provider hides dot-files, so "--config .dandelion.yaml"
        // would read as missing.
        var directory = System.IO.Path.GetDirectoryName(fullPath)!;
        return new YamlConfigurationSource
        {
            FileProvider = new PhysicalFileProvider(directory, ExclusionFilters.None),
            Path = System.IO.Path.GetFileName(fullPath),
            Optional = optional,
            ReloadOnChange = false,
        };
    }

    // "--config path" and "--config=path" choose the file and are not settings: left in,
    // the command-line provider would read "path" as a key (an absolute "/etc/x.yaml" as
    // "--etc/x.yaml") and swallow the argument after it as its value.
    private static string[] WithoutConfigArgument(string[] args, string name)
    {
        var kept = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == name)
            {
                i++; // and its value
                continue;
            }
            if (args[i].StartsWith(name + "=", StringComparison.Ordinal))
                continue;
            kept.Add(args[i]);
        }
        return kept.ToArray();
    }

    // "--config" with no path after it is a mistake, not a request for the default file:
    // reading config.yaml instead would start the node with settings nobody meant.
    private static string? FindArgument(string[] args, string name)
    {
        for (var i = 0; i < args.Length; i++)
        {
            string? value = null;
            if (args[i] == name)
                value = i + 1 < args.Length ? args[i + 1] : "";
            else if (args[i].StartsWith(name + "=", StringComparison.Ordinal))
                value = args[i][(name.Length + 1)..];
            if (value is null)
                continue;
            if (value.Length == 0)
                throw new ArgumentException($"{name} needs the path of a configuration file.", nameof(args));
            return value;
        }
        return null;
    }
}
