using Dandelion.Shared.Configuration;
using Dandelion.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;
using YamlDotNet.RepresentationModel;

namespace Dandelion.Deployment.Tests;

/// <summary>
/// Checks a file in the shape of <c>config.example.yaml</c> against the code: every key of
/// every program is there, no key the code lacks, every value the default, and what it
/// sets passes each program's own validation.
/// </summary>
internal static class ExampleConfig
{
    public static string Path => RepositoryPaths.RequireFile(System.IO.Path.Combine(RepositoryPaths.Root, "config.example.yaml"));

    static ExampleConfig()
    {
        // The file's relative paths (data/geoip/GeoLite2-City.mmdb) are relative to where a
        // program runs, and the documented place to run them is the repository root.
        Directory.SetCurrentDirectory(RepositoryPaths.Root);
    }

    /// <summary>Everything wrong with <paramref name="path"/> for <paramref name="app"/>; empty when nothing is.</summary>
    public static IReadOnlyList<string> Problems(string path, App app)
    {
        var problems = new List<string>();
        var written = WrittenKeys(path);
        var known = OptionKeys.Of(app.OptionsType, app.Section);

        foreach (var key in known.Where(k => !written.Contains(k)))
            problems.Add($"{key} is not in the file.");
        foreach (var key in written.Where(k => k.StartsWith(app.Section + ":", StringComparison.OrdinalIgnoreCase) && !known.Contains(k, StringComparer.OrdinalIgnoreCase)))
            problems.Add($"{key} is in the file but {app.OptionsType.Name} has no such key.");

        var section = Load(path).GetSection(app.Section);
        object bound;
        try
        {
            bound = app.Defaults();
            section.Bind(bound, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            problems.Add($"{app.Section} does not bind: {ex.Message}");
            return problems;
        }

        foreach (var difference in OptionKeys.Differences(app.OptionsType, app.Defaults(), bound, app.Section))
            problems.Add($"{difference} (the file's value is not the default)");

        var validation = app.Validate(bound);
        if (validation.Failed)
            problems.AddRange(validation.Failures.Select(f => $"validation: {f}"));
        return problems;
    }

    /// <summary>Top-level sections that no program reads.</summary>
    public static IReadOnlyList<string> UnknownSections(string path) =>
        WrittenKeys(path).Select(k => k.Split(':')[0]).Distinct(StringComparer.OrdinalIgnoreCase)
            .Where(s => !App.All.Any(a => string.Equals(a.Section, s, StringComparison.OrdinalIgnoreCase)))
            .ToList();

    /// <summary>Through Shared's YAML provider, as the programs read it.</summary>
    public static IConfiguration Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        return new ConfigurationBuilder().Add(new YamlConfigurationSource
        {
            FileProvider = new PhysicalFileProvider(System.IO.Path.GetDirectoryName(full)!, ExclusionFilters.None),
            Path = System.IO.Path.GetFileName(full),
            Optional = false,
        }).Build();
    }

    /// <summary>
    /// Every key the file writes, "~" (not set) and empty lists included, which the
    /// configuration provider drops: a mapping is a section, anything else a key.
    /// </summary>
    public static HashSet<string> WrittenKeys(string path)
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(path))
            yaml.Load(reader);
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (yaml.Documents is [{ RootNode: YamlMappingNode root }, ..])
            Walk(root, null, keys);
        return keys;
    }

    private static void Walk(YamlMappingNode mapping, string? prefix, HashSet<string> keys)
    {
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = prefix is null ? ((YamlScalarNode)keyNode).Value! : $"{prefix}:{((YamlScalarNode)keyNode).Value}";
            if (value is YamlMappingNode child)
                Walk(child, key, keys);
            else
                keys.Add(key);
        }
    }
}
