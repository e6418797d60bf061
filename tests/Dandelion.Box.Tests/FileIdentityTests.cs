using Dandelion.Box.Traffic;

namespace Dandelion.Box.Tests;

public sealed class FileIdentityTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dandelion-inode-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void An_open_file_keeps_its_identity_across_a_rename_and_a_new_file_gets_another()
    {
        var path = Path.Combine(_directory, "a.log");
        File.WriteAllText(path, "x");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var byPath = FileIdentity.Of(path);
        Assert.NotNull(byPath);
        Assert.Equal(byPath, FileIdentity.Of(stream.SafeFileHandle));

        File.Move(path, path + ".1");
        File.WriteAllText(path, "y");
        Assert.Equal(byPath, FileIdentity.Of(stream.SafeFileHandle));
        Assert.NotEqual(byPath, FileIdentity.Of(path));
        Assert.Null(FileIdentity.Of(Path.Combine(_directory, "missing")));
    }
}
