using Dandelion.Publisher.Placement;

namespace Dandelion.Publisher.Tests;

public sealed class PublishRootsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("dandelion-roots-").FullName;
    private readonly PublishRoots _roots;

    public PublishRootsTests()
    {
        var published = Directory.CreateDirectory(Path.Combine(_root, "hls")).FullName;
        Directory.CreateDirectory(Path.Combine(published, "sub"));
        File.WriteAllText(Path.Combine(published, "a.ts"), "a");
        File.WriteAllText(Path.Combine(published, "sub", "b.ts"), "b");
        File.WriteAllText(Path.Combine(_root, "secret.txt"), "secret");
        Directory.CreateDirectory(Path.Combine(_root, "outside"));
        File.WriteAllText(Path.Combine(_root, "outside", "c.ts"), "c");
        // Links inside the published directory that lead out of it.
        File.CreateSymbolicLink(Path.Combine(published, "link.txt"), Path.Combine(_root, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(published, "linkdir"), Path.Combine(_root, "outside"));
        _roots = new PublishRoots([new PublishRoot("hls", published)]);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("hls/a.ts", "/hls/a.ts")]
    [InlineData("/hls/a.ts", "/hls/a.ts")]
    [InlineData("hls/sub/b.ts", "/hls/sub/b.ts")]
    public void A_file_path_under_a_publish_directory_resolves(string filePath, string expected)
    {
        Assert.True(_roots.TryFromFilePath(filePath, out var target, out _));
        Assert.Equal(expected, target.FilePath);
        Assert.True(File.Exists(target.DiskPath));
    }

    [Theory]
    [InlineData("hls/../secret.txt")]          // climbs out with ..
    [InlineData("hls/sub/../../secret.txt")]   // climbs out from deeper
    [InlineData("hls/./a.ts")]                 // a dot segment
    [InlineData("hls//a.ts")]                  // an empty segment
    [InlineData("hls/link.txt")]               // a file link leading out
    [InlineData("hls/linkdir/c.ts")]           // a directory link leading out
    [InlineData("hls/..\\secret.txt")]         // a backslash
    [InlineData("hls/a.ts\0")]                 // a NUL
    [InlineData("other/a.ts")]                 // no publish directory of that name
    [InlineData("hls/missing.ts")]             // no such file
    [InlineData("hls/sub")]                    // a directory, not a file
    [InlineData("hls")]                        // the directory itself
    [InlineData("")]                           // nothing
    public void A_hostile_or_unknown_file_path_is_refused(string filePath) =>
        Assert.False(_roots.TryFromFilePath(filePath, out _, out _));

    [Fact]
    public void A_disk_path_under_a_publish_directory_maps_to_its_file_path()
    {
        Assert.True(_roots.TryFromDisk(Path.Combine(_root, "hls", "sub", "b.ts"), out var target, out _));
        Assert.Equal("/hls/sub/b.ts", target.FilePath);
    }

    [Theory]
    [InlineData("secret.txt")]                 // outside every publish directory
    [InlineData("hls/../secret.txt")]          // out through ..
    [InlineData("hls/link.txt")]               // out through a link
    [InlineData("hls/linkdir/c.ts")]           // out through a directory link
    [InlineData("hlsx/a.ts")]                  // a sibling whose name starts the same
    public void A_disk_path_outside_the_published_set_is_refused(string relative) =>
        Assert.False(_roots.TryFromDisk(Path.Combine(_root, relative), out _, out _));
}
