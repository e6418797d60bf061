using System.Collections.Concurrent;
using System.Diagnostics;
using Dandelion.Testing;

namespace Dandelion.Deployment.Tests;

/// <summary>
/// The box's native executables as <c>scripts/publish-box.sh</c> makes them, published at most
/// once per test run: scripts/test.sh publishes them before the tests, and the script keeps a
/// build whose inputs are unchanged, so asking here costs a hash when they are there.
/// </summary>
internal static class PublishedBox
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Builds = new();

    /// <summary><c>artifacts/box-linux-{arch}/Dandelion.Box</c>, published now if missing or stale.</summary>
    public static Task<string> ForAsync(string arch) =>
        Builds.GetOrAdd(arch, a => new Lazy<Task<string>>(() => PublishAsync(a))).Value;

    private static async Task<string> PublishAsync(string arch)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.ArgumentList.Add("scripts/publish-box.sh");
        start.ArgumentList.Add($"linux-{arch}");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"scripts/publish-box.sh linux-{arch} exited {process.ExitCode}:\n{await stdout}{await stderr}");
        return RepositoryPaths.RequireFile(Path.Combine(RepositoryPaths.Root, "artifacts", $"box-linux-{arch}", "Dandelion.Box"));
    }
}
