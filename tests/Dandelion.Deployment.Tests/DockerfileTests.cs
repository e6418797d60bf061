using System.Text.RegularExpressions;
using System.Xml.Linq;
using Dandelion.Testing;

namespace Dandelion.Deployment.Tests;

/// <summary>The Dockerfile, checked line by line for what <c>docker build</c> would trip over.</summary>
public sealed partial class DockerfileTests
{
    private static readonly string[] Lines = Instructions(File.ReadAllText(RepositoryPaths.RequireFile(Path.Combine(RepositoryPaths.Root, "Dockerfile"))));

    [Fact]
    public void Builds_on_the_sdk_and_runs_on_aspnet_10_with_APP_declared_in_each_stage()
    {
        var froms = Lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, froms.Count);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", froms[0]);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:10.0", froms[1]);
        // An ARG before FROM is not seen inside a stage unless the stage declares it again.
        var stages = Stages();
        Assert.Contains(Lines.TakeWhile(l => !l.StartsWith("FROM ", StringComparison.Ordinal)), l => l.StartsWith("ARG APP=", StringComparison.Ordinal));
        Assert.All(stages, stage => Assert.Contains("ARG APP", stage));
    }

    [Theory]
    [InlineData("Entrance")]
    [InlineData("Box")]
    [InlineData("Publisher")]
    public void Every_COPY_source_exists_and_is_not_ignored(string app)
    {
        var ignored = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, ".dockerignore"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        foreach (var line in Lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from=", StringComparison.Ordinal)))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1];
            foreach (var source in parts.Select(p => p.Replace("${APP}", app, StringComparison.Ordinal)))
            {
                var path = Path.Combine(RepositoryPaths.Root, source);
                Assert.True(File.Exists(path) || Directory.Exists(path), $"COPY {source}: missing");
                var top = source.TrimEnd('/').Split('/')[0];
                Assert.DoesNotContain(ignored, pattern => pattern.TrimEnd('/') == top || pattern.TrimEnd('/') == source.TrimEnd('/'));
            }
        }
    }

    [Theory]
    [InlineData("Entrance")]
    [InlineData("Box")]
    [InlineData("Publisher")]
    public void Restores_from_project_files_copied_before_the_sources(string app)
    {
        var restore = Array.FindIndex(Lines, l => l.StartsWith("RUN dotnet restore", StringComparison.Ordinal));
        Assert.True(restore > 0);
        Assert.Contains("\"$APP/Dandelion.$APP.csproj\"", Lines[restore]);
        var copiedBefore = Lines[..restore].Where(l => l.StartsWith("COPY ", StringComparison.Ordinal))
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1]).ToHashSet();
        foreach (var file in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props" })
            Assert.Contains(file, copiedBefore);
        // Every project the app needs, found through its references, is there for restore.
        foreach (var project in ProjectClosure(Path.Combine(app, $"Dandelion.{app}.csproj")))
            Assert.Contains(project, copiedBefore);
        var publish = Lines.Single(l => l.StartsWith("RUN dotnet publish", StringComparison.Ordinal));
        Assert.Contains("\"$APP/Dandelion.$APP.csproj\" -c Release -o /app", publish);
        Assert.True(Array.IndexOf(Lines, publish) > restore);
    }

    [Fact]
    public void The_final_image_runs_the_chosen_app_as_an_unprivileged_user()
    {
        var final = Stages()[^1];
        Assert.Contains("COPY --from=build /app /app", final);
        Assert.Contains("ENV DANDELION_APP=${APP}", final);
        var user = final.Single(l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.DoesNotContain(user[5..].Trim(), new[] { "root", "0", "0:0" });
        var entrypoint = final.Single(l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal));
        Assert.Contains("exec dotnet \\\"/app/Dandelion.$DANDELION_APP.dll\\\" \\\"$@\\\"", entrypoint);
        var healthcheck = final.Single(l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
        Assert.Contains("/app/Dandelion.$DANDELION_APP.dll\\\" healthcheck", healthcheck);
        // USER comes after the steps that need root.
        Assert.True(Array.IndexOf(final, user) > Array.FindLastIndex(final, l => l.StartsWith("RUN ", StringComparison.Ordinal)));
    }

    private static string[][] Stages()
    {
        var stages = new List<List<string>>();
        foreach (var line in Lines)
        {
            if (line.StartsWith("FROM ", StringComparison.Ordinal))
                stages.Add([]);
            else if (stages.Count > 0)
                stages[^1].Add(line);
        }
        return stages.Select(s => s.ToArray()).ToArray();
    }

    // Instructions with continuation lines joined and comments dropped.
    private static string[] Instructions(string text) =>
        Continuation().Replace(text, " ").Split('\n').Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();

    private static IEnumerable<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string> { project };
        var queue = new Queue<string>([project]);
        while (queue.TryDequeue(out var current))
        {
            var directory = Path.GetDirectoryName(current)!;
            foreach (var reference in XDocument.Load(Path.Combine(RepositoryPaths.Root, current)).Descendants("ProjectReference"))
            {
                var path = Path.GetRelativePath(RepositoryPaths.Root, Path.GetFullPath(Path.Combine(RepositoryPaths.Root, directory, reference.Attribute("Include")!.Value)));
                if (seen.Add(path))
                    queue.Enqueue(path);
            }
        }
        return seen.Select(p => p.Replace('\\', '/'));
    }

    [GeneratedRegex(@"\\\r?\n")]
    private static partial Regex Continuation();
}
