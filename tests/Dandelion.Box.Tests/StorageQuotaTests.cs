using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dandelion.Shared.Protocol;

namespace Dandelion.Box.Tests;

/// <summary>The quota counts uploads in progress: pushes at once can never together store more than it, on a real disk.</summary>
public sealed class StorageQuotaTests : IAsyncLifetime
{
    private const int Quota = 4 << 20;
    private readonly string _data = Directory.CreateTempSubdirectory("dandelion-quota-").FullName;
    private BoxHost _box = null!;

    public Task InitializeAsync()
    {
        _box = BoxHost.Start(_data, new Dictionary<string, string?>
        {
            ["Box:StorageQuota"] = Quota.ToString(),
            ["Box:MaxFileSize"] = Quota.ToString(),
            ["Box:KeepDiskFree"] = "0",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _box.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    private string Files => Path.Combine(_data, "files");

    private long BytesOnDisk() =>
        Directory.Exists(Files) ? new DirectoryInfo(Files).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => SafeLength(f)) : 0;

    private static long SafeLength(FileInfo file)
    {
        try
        {
            return file.Length;
        }
        catch (FileNotFoundException)
        {
            return 0; // moved or deleted while counted
        }
    }

    /// <summary>A version 2 frame without SIZE: the box learns its length only as the bytes arrive.</summary>
    private static byte[] Undeclared(string path, byte[] data) =>
        [.. "<Dandelion>"u8, .. Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { FILE_PATH = path, TTL = 60 })), .. "</Dandelion>"u8, .. data];

    [Fact]
    public async Task An_upload_in_progress_holds_its_room_so_a_second_push_cannot_pass_the_quota()
    {
        var (first, _) = await TestPublisher.ConnectAsync(_box, version: 2);
        var (second, _) = await TestPublisher.ConnectAsync(_box, version: 2, id: "publisher-ffeeddccbbaa99887766554433221100");
        using (first)
        using (second)
        {
            // The first push stops just before its end: 3 MiB on the box's disk, not yet stored.
            var big = Undeclared("/big.ts", RandomNumberGenerator.GetBytes(3 << 20));
            var head = big.Length - 1024;
            for (var offset = 0; offset < head; offset += 64 * 1024)
                await first.Socket.SendAsync(big.AsMemory(offset, Math.Min(64 * 1024, head - offset)), WebSocketMessageType.Binary, false, CancellationToken.None);
            await BoxHost.EventuallyAsync(() => BytesOnDisk() >= (3 << 20) - 2048, "the first upload's bytes on disk");

            // Alone, 2 MiB fits the 4 MiB quota; beside the 3 MiB in progress it does not.
            var refused = await second.PutAsync(Undeclared("/other.ts", RandomNumberGenerator.GetBytes(2 << 20)), chunk: 64 * 1024);
            Assert.Equal("REFUSED", refused.GetProperty("COMMAND").GetString());
            Assert.Equal(ProtocolErrorCodes.QuotaExceeded, refused.GetProperty("CODE").GetString());
            Assert.True(BytesOnDisk() <= Quota, $"{BytesOnDisk()} bytes on disk, quota {Quota}");

            await first.Socket.SendAsync(big.AsMemory(head), WebSocketMessageType.Binary, true, CancellationToken.None);
            var stored = await BoxHost.ReceiveJsonAsync(first.Socket);
            Assert.Equal("STORED", stored!.Value.GetProperty("COMMAND").GetString());
        }
    }

    [Fact]
    public async Task Parallel_pushes_never_together_store_or_write_more_than_the_quota()
    {
        var publishers = new List<TestPublisher>();
        for (var i = 0; i < 4; i++)
            publishers.Add((await TestPublisher.ConnectAsync(_box, version: 2, id: $"publisher-{i:x32}")).Item1);
        var peak = 0L;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, BytesOnDisk());
                await Task.Delay(2);
            }
        });

        // Each 2 MiB file fits alone; four at once would need 8 MiB.
        var answers = await Task.WhenAll(publishers.Select(p =>
            p.PutAsync(Undeclared("/seg.ts", RandomNumberGenerator.GetBytes(2 << 20)), chunk: 64 * 1024)));
        await sampling.CancelAsync();
        await sampler;
        foreach (var p in publishers)
            p.Dispose();

        var stored = answers.Where(a => a.GetProperty("COMMAND").GetString() == "STORED").Sum(a => a.GetProperty("SIZE").GetInt64());
        Assert.True(stored <= Quota, $"{stored} bytes stored, quota {Quota}");
        Assert.Contains(answers, a => a.GetProperty("COMMAND").GetString() == "STORED");
        Assert.All(answers.Where(a => a.GetProperty("COMMAND").GetString() != "STORED"),
            a => Assert.Equal(ProtocolErrorCodes.QuotaExceeded, a.GetProperty("CODE").GetString()));
        Assert.True(peak <= Quota + (64 * 1024), $"{peak} bytes on disk at the peak, quota {Quota}");
    }
}
