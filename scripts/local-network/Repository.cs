namespace Dandelion.LocalNetwork;

/// <summary>Where the checkout and the apps' build output are.</summary>
internal static class Repository
{
    public static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dandelion.sln")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException("Dandelion.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Release or Debug: the apps are run from the build this assembly belongs to.</summary>
    public static string OwnConfiguration() =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary><c>{root}/{App}/bin/{configuration}/net10.0/Dandelion.{App}.dll</c>, which must exist.</summary>
    public static string AppDll(string root, string configuration, string app) =>
        Require(Path.Combine(root, app, "bin", configuration, "net10.0", $"Dandelion.{app}.dll"), "build it first (./scripts/run-local.sh does)");

    public static string Require(string path, string hint) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: {hint}.", path);
}
