using System.Net.WebSockets;
using System.Text.Json;
using Dandelion.Box.Files;

namespace Dandelion.Box.Tests;

/// <summary>A box tells a version 2 publisher on its open channel which of its files went (<c>REMOVED</c>), so it sends no viewer there.</summary>
public sealed class RemovedFilesTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("dandelion-box-removed-").FullName;
    private BoxHost _box = null!;

    public Task InitializeAsync()
    {
        _box = BoxHost.Start(_data);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _box.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    private static List<string> Paths(JsonElement message)
    {
        Assert.Equal("REMOVED", message.GetProperty("COMMAND").GetString());
        return message.GetProperty("FILE_PATHS").EnumerateArray().Select(p => p.GetString()!).Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task A_purge_is_told_to_the_publisher_whose_files_went_and_to_no_other()
    {
        var (mine, _) = await TestPublisher.ConnectAsync(_box, version: 2);
        var (other, _) = await TestPublisher.ConnectAsync(_box, version: 2, id: "publisher-" + new string('e', 32));
        using (mine)
        using (other)
        {
            foreach (var name in new[] { "/live/a.ts", "/live/b.ts" })
                Assert.Equal("STORED", (await mine.PutAsync(TestPublisher.Version2Frame(name, 100, [1]))).GetProperty("COMMAND").GetString());
            Assert.Equal("STORED", (await other.PutAsync(TestPublisher.Version2Frame("/live/a.ts", 100, [2]))).GetProperty("COMMAND").GetString());

            Assert.Equal(2, _box.Service<FileStore>().Purge(mine.Id));

            Assert.Equal(["/live/a.ts", "/live/b.ts"], Paths((await BoxHost.ReceiveJsonAsync(mine.Socket))!.Value));
            // The other publisher's files stay, and it hears nothing.
            using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await other.Socket.ReceiveAsync(new byte[1024], quiet.Token));
        }
    }

    [Fact]
    public async Task An_expired_file_and_one_gone_from_the_disk_are_told_too()
    {
        var (publisher, _) = await TestPublisher.ConnectAsync(_box, version: 2);
        using (publisher)
        {
            Assert.Equal("STORED", (await publisher.PutAsync(TestPublisher.Version2Frame("/v/short.ts", 1, [1]))).GetProperty("COMMAND").GetString());
            Assert.Equal(["/v/short.ts"], Paths((await BoxHost.ReceiveJsonAsync(publisher.Socket))!.Value));

            Assert.Equal("STORED", (await publisher.PutAsync(TestPublisher.Version2Frame("/v/lost.ts", 100, [1]))).GetProperty("COMMAND").GetString());
            File.Delete(Path.Combine(_box.StorageDirectory, publisher.Id, "v", "lost.ts"));
            using (var response = await _box.Http.GetAsync($"{publisher.Id}/v/lost.ts"))
                Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal(["/v/lost.ts"], Paths((await BoxHost.ReceiveJsonAsync(publisher.Socket))!.Value));
        }
    }

    [Fact]
    public async Task A_version_1_publisher_is_told_nothing()
    {
        var (publisher, _) = await TestPublisher.ConnectAsync(_box, version: 1);
        using (publisher)
        {
            await publisher.SendFrameAsync(TestPublisher.Version1Frame("/v/a.ts", 100, [1]));
            await BoxHost.EventuallyAsync(() => _box.Service<FileStore>().Count == 1, "the file stored");
            Assert.Equal(1, _box.Service<FileStore>().Purge(null));
            using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await publisher.Socket.ReceiveAsync(new byte[1024], quiet.Token));
        }
    }
}
