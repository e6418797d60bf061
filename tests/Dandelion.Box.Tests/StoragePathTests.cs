using Dandelion.Box.Files;

namespace Dandelion.Box.Tests;

public sealed class StoragePathTests : IDisposable
{
    private const string Publisher = "publisher-0123456789abcdef0123456789abcdef";
    private readonly string _root = Directory.CreateTempSubdirectory("dandelion-paths-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("/live/seg-1.ts", "live/seg-1.ts")]
    [InlineData("live/seg-1.ts", "live/seg-1.ts")]
    [InlineData("//live///seg-1.ts", "live/seg-1.ts")]      // empty segments collapse
    [InlineData("/./live/./seg-1.ts", "live/seg-1.ts")]    // "." segments collapse
    [InlineData("/home/user/stream/index.m3u8", "home/user/stream/index.m3u8")]
    [InlineData("/a b/c d.ts", "a b/c d.ts")]              // spaces inside names are fine
    [InlineData("/...ts", "...ts")]                        // dots that are not ".." are a name
    public void Accepts_and_normalises(string filePath, string expected)
    {
        Assert.True(StoragePath.TryResolve(_root, Publisher, filePath, out var target, out var error), error);
        Assert.Equal(expected, target!.RelativePath);
        Assert.Equal(Path.Combine(_root, Publisher, expected), target.FullPath);
    }

    [Theory]
    [InlineData(null)]                          // missing
    [InlineData("")]                            // empty
    [InlineData("/")]                           // names no file
    [InlineData("/./")]                         // names no file after collapsing
    [InlineData("../etc/passwd")]               // climbs out
    [InlineData("/live/../../etc/passwd")]      // climbs out from inside
    [InlineData("/live/..")]                    // ".." as the last name
    [InlineData("/live/seg\0.ts")]              // NUL
    [InlineData("/live/seg\n.ts")]              // newline would break the journal and the log
    [InlineData("/live/seg\r.ts")]              // carriage return
    [InlineData("/live/\u001b[31m.ts")]         // terminal escape
    [InlineData("/live/seg\u007f.ts")]          // DEL
    [InlineData("\\live\\seg.ts")]              // backslashes are hostile, not separators
    [InlineData("/live\\..\\..\\x")]            // backslash climbing
    [InlineData("/live/   /x.ts")]              // a name of only spaces
    public void Refuses_hostile_paths(string? filePath)
    {
        Assert.False(StoragePath.TryResolve(_root, Publisher, filePath, out var target, out var error));
        Assert.Null(target);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Refuses_a_name_longer_than_the_file_system_allows() =>
        Assert.False(StoragePath.TryResolve(_root, Publisher, "/" + new string('a', 256), out _, out _));

    [Theory]
    [InlineData("publisher-0123")]                                     // too short
    [InlineData("../publisher-0123456789abcdef0123456789abcdef")]      // a path, not an id
    [InlineData("box-0123456789abcdef0123456789abcdef")]               // another role
    [InlineData("publisher-0123456789ABCDEF0123456789ABCDEF")]         // upper case is not an id
    [InlineData("")]
    public void Refuses_publisher_ids_that_are_not_ids(string publisher) =>
        Assert.False(StoragePath.TryResolve(_root, publisher, "/x.ts", out _, out _));

    [Fact]
    public void Sees_a_link_on_the_way_out_of_storage()
    {
        var outside = Directory.CreateTempSubdirectory("dandelion-outside-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(_root, Publisher));
            Directory.CreateSymbolicLink(Path.Combine(_root, Publisher, "live"), outside);
            Assert.True(StoragePath.TryResolve(_root, Publisher, "/live/seg.ts", out var target, out _));
            Assert.True(StoragePath.LeavesThroughLink(_root, target!));

            Assert.True(StoragePath.TryResolve(_root, Publisher, "/other/seg.ts", out var safe, out _));
            Assert.False(StoragePath.LeavesThroughLink(_root, safe!));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public void Sees_a_dangling_link()
    {
        Directory.CreateDirectory(Path.Combine(_root, Publisher));
        File.CreateSymbolicLink(Path.Combine(_root, Publisher, "seg.ts"), "/nonexistent/target");
        Assert.True(StoragePath.TryResolve(_root, Publisher, "/seg.ts", out var target, out _));
        Assert.True(StoragePath.LeavesThroughLink(_root, target!));
    }
}
