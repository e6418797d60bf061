using Dandelion.Testing;

namespace Dandelion.Shared.Tests.Layout;

/// <summary>
/// The product's shape, kept true on its sources: feature folders depend one way only
/// (docs/ARCHITECTURE.md), and no source file grows past what one reads at a sitting.
/// </summary>
public sealed class LayoutTests
{
    private const int MaxLines = 250;

    private static readonly string[] ProductDirectories = ["Entrance", "Box", "Publisher", "Shared"];

    public static TheoryData<string> Apps => new(ProductDirectories);

    [Theory]
    [MemberData(nameof(Apps))]
    public void FeatureFoldersDoNotUseEachOtherInALoop(string app)
    {
        var graph = FolderImports.Of(Path.Combine(RepositoryPaths.Root, app), $"Dandelion.{app}");
        Assert.NotEmpty(graph); // the reader found the folders at all
        var loops = FolderImports.Loops(graph);
        Assert.True(loops.Count == 0, string.Join("\n", loops.Select(loop =>
            $"{app}: {string.Join(", ", loop)} use each other: " + string.Join("; ", loop
                .SelectMany(from => graph[from].Where(e => loop.Contains(e.Key)).Select(e => $"{from} → {e.Key} ({string.Join(", ", e.Value)})"))))));
    }

    [Fact]
    public void NoProductSourceFileIsLongerThanTheLimit()
    {
        var tooLong = ProductDirectories
            .SelectMany(app => Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, app), "*.cs", SearchOption.AllDirectories))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(path => (Path: Path.GetRelativePath(RepositoryPaths.Root, path), Lines: File.ReadAllLines(path).Length))
            .Where(file => file.Lines > MaxLines)
            .Select(file => $"{file.Path}: {file.Lines} lines")
            .ToList();
        Assert.True(tooLong.Count == 0, $"Over {MaxLines} lines (split along a real seam, one type per file): " + string.Join("; ", tooLong));
    }

    [Fact]
    public void TheLoopFinderFindsEveryLoopAndOnlyLoops()
    {
        static Dictionary<string, Dictionary<string, int>> Graph(params (string From, string To)[] edges) =>
            edges.GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.ToDictionary(e => e.To, _ => 0));

        // A chain and a diamond: one way only, no loop.
        Assert.Empty(FolderImports.Loops(Graph(("A", "B"), ("B", "C"), ("A", "C"), ("C", "D"))));
        // Two folders using each other.
        Assert.Equal([["A", "B"]], FolderImports.Loops(Graph(("A", "B"), ("B", "A"), ("B", "C"))));
        // A long way round, and a separate pair.
        Assert.Equal(
            [["A", "B", "C"], ["D", "E"]],
            FolderImports.Loops(Graph(("A", "B"), ("B", "C"), ("C", "A"), ("D", "E"), ("E", "D"), ("C", "D")))
                .OrderBy(l => l[0]).ToList());
    }
}
