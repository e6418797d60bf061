namespace Dandelion.Box.Tests.Household;

/// <summary>
/// The share of the disk kept free for the household, on this machine's real disk: the share
/// asked for is set just above or below what is free now, so the test needs no full disk.
/// </summary>
public sealed class DiskShareTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("dandelion-disk-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private double FreeShare()
    {
        var volume = new DriveInfo(_data);
        return (double)volume.AvailableFreeSpace / volume.TotalSize;
    }

    [Fact]
    public async Task A_file_that_would_eat_into_the_share_kept_free_is_refused_and_the_entrance_is_told_there_is_no_room()
    {
        var share = Math.Round(FreeShare() + 0.01, 3);
        Assert.True(share <= 0.9, "this test needs a disk with at least 11% in use");
        await using var box = BoxHost.Start(_data, new Dictionary<string, string?> { ["Box:KeepDiskFree"] = share.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        var (publisher, _) = await TestPublisher.ConnectAsync(box, version: 2);
        using (publisher)
        {
            var refused = await publisher.PutAsync(TestPublisher.Version2Frame("/a.ts", 60, new byte[1000]));
            Assert.Equal("quota-exceeded", refused.GetProperty("CODE").GetString());
            Assert.Contains("disk free", refused.GetProperty("ERROR").GetString());
            // A header without SIZE: the check comes when the bytes are in, before the file is placed.
            var unsized = await publisher.PutAsync(TestPublisher.Version1Frame("/b.ts", 60, new byte[1000]));
            Assert.Equal("quota-exceeded", unsized.GetProperty("CODE").GetString());
        }
        Assert.False(File.Exists(Path.Combine(box.StorageDirectory, TestPublisher.DefaultId, "b.ts")));
        Assert.Equal(0, box.Service<Dandelion.Box.Files.FileStore>().Quota);
        Assert.False(File.Exists(Path.Combine(box.StorageDirectory, TestPublisher.DefaultId, "a.ts")));
    }

    [Fact]
    public async Task Below_the_share_kept_free_files_are_stored_up_to_the_quota()
    {
        var share = Math.Max(0, Math.Round(FreeShare() - 0.02, 3));
        await using var box = BoxHost.Start(_data, new Dictionary<string, string?>
        {
            ["Box:KeepDiskFree"] = share.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Box:StorageQuota"] = "1000000",
            ["Box:MaxFileSize"] = "1000000",
        });
        var (publisher, _) = await TestPublisher.ConnectAsync(box, version: 2);
        using (publisher)
        {
            var stored = await publisher.PutAsync(TestPublisher.Version2Frame("/a.ts", 60, new byte[1000]));
            Assert.Equal("STORED", stored.GetProperty("COMMAND").GetString());
        }
        Assert.Equal(1_000_000, box.Service<Dandelion.Box.Files.FileStore>().Quota);
    }
}
