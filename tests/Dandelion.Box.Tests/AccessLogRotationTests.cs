using Dandelion.Box.Traffic;

namespace Dandelion.Box.Tests;

/// <summary>The box's own access log must not grow for ever on a device left alone for months.</summary>
public sealed class AccessLogRotationTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("dandelion-box-log-").FullName;
    private BoxHost _box = null!;

    public Task InitializeAsync()
    {
        _box = BoxHost.Start(_data, new Dictionary<string, string?> { ["Box:AccessLogMaxSize"] = "4096" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _box.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task The_box_rotates_its_own_log_by_size_and_loses_no_request()
    {
        var (publisher, _) = await TestPublisher.ConnectAsync(_box, version: 2);
        const int requests = 150; // about 180 bytes a line: several rotations of 4 KiB
        // One file per request: each request is told apart by its path (traffic URLs are kept without their query string).
        using (publisher)
        {
            for (var i = 1; i <= requests; i++)
                await publisher.PutAsync(TestPublisher.Version2Frame($"/r/seg-{i}.ts", 600, [1, 2, 3]));
        }
        var outbox = _box.Service<TrafficOutbox>();
        var first = outbox.NextId;

        for (var i = 1; i <= requests; i++)
        {
            Assert.Equal(3, (await _box.Http.GetByteArrayAsync($"{publisher.Id}/r/seg-{i}.ts")).Length);
            // In batches, as traffic comes over minutes: rotation waits for the follower to catch up.
            if (i % 30 == 0)
                await BoxHost.EventuallyAsync(() => outbox.NextId == first + i, $"{i} requests collected");
        }

        await BoxHost.EventuallyAsync(() => outbox.NextId == first + requests, "every request collected");
        var urls = outbox.Peek(int.MaxValue).Where(e => e.Id >= first).Select(e => e.Url).ToList();
        Assert.Equal(Enumerable.Range(1, requests).Select(i => $"/{publisher.Id}/r/seg-{i}.ts"), urls);
        Assert.True(File.Exists(_box.AccessLog + ".1"), "rotated at least once");
        // Rotation waits for the follower to reach the live file, so the limit is passed by at most a poll's worth of lines.
        Assert.True(File.ReadAllLines(_box.AccessLog).Length + File.ReadAllLines(_box.AccessLog + ".1").Length < requests,
            "old lines were let go");
        Assert.Empty(Directory.EnumerateFiles(_data, "access.log.2"));
    }
}
