using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Dandelion.Testing;

namespace Dandelion.Deployment.Tests;

/// <summary>
/// The box as a household device runs it: the native linux-arm64 executable from
/// scripts/publish-box.sh, under qemu-user emulation, with a real entrance (and Redis) and a
/// real publisher, each its own process on loopback.
/// </summary>
public sealed class DeviceBoxTests : IAsyncLifetime
{
    private const long Ceiling = 1 << 20;
    private readonly string _root = Directory.CreateTempSubdirectory("dandelion-device-").FullName;
    private readonly List<AppProcess> _processes = [];
    private RedisServer? _redis;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
            await process.DisposeAsync();
        if (_redis is not null)
            await _redis.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task The_arm64_box_registers_takes_a_checked_file_serves_it_and_lets_it_expire()
    {
        var program = await PublishedBox.ForAsync("arm64");
        _redis = await RedisServer.StartAsync();

        var entrancePort = FreePort.Next();
        var entranceUrl = $"ws://127.0.0.1:{entrancePort}/dandelion/ws/";
        var entrance = Keep(AppProcess.Start(App.Entrance,
        [
            "--urls", $"http://127.0.0.1:{entrancePort}",
            $"--Entrance:Redis={_redis.ConnectionString}",
            $"--Entrance:KeyPrefix=device-{Guid.NewGuid():N}",
            $"--Entrance:DataDirectory={Path.Combine(_root, "entrance")}",
            $"--Entrance:GeoIp:CityDatabase={RepositoryPaths.GeoLiteCity}",
            "--Entrance:Heartbeat=00:00:01", "--Entrance:Expiry=00:00:10", "--Logging:LogLevel:Default=Warning",
        ]));
        await entrance.WaitForAsync($"http://127.0.0.1:{entrancePort}/dandelion/", "the entrance");

        // The entrance made its operator key at first start, in its data directory; with it the
        // operator enrols the box and the publisher (auth is on by default).
        using var http = new HttpClient();
        var operatorKey = (await File.ReadAllTextAsync(Path.Combine(_root, "entrance", "operator.key"))).Trim();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", operatorKey);
        var boxPort = FreePort.Next();
        var boxData = Path.Combine(_root, "box");
        await Enrolment.EnrolAsync(http, entrancePort, "box", boxData);
        await Enrolment.EnrolAsync(http, entrancePort, "publisher", Path.Combine(_root, "publisher"));
        var box = Keep(AppProcess.StartNative(program, "arm64",
        [
            $"--Box:DataDirectory={boxData}", "--Box:ListenAddress=127.0.0.1", "--Box:PublicHost=127.0.0.1",
            $"--Box:Port={boxPort}", $"--Box:HttpPort={FreePort.Next()}", $"--Box:Entrances:0={entranceUrl}",
            "--Box:Heartbeat=00:00:01", "--Box:SweepInterval=00:00:00.500", $"--Box:UploadCeiling={Ceiling}",
            "--Logging:LogLevel:Default=Warning",
        ]));
        await box.WaitForAsync($"http://127.0.0.1:{boxPort}/alive", "the arm64 box");
        var boxId = (await File.ReadAllTextAsync(Path.Combine(boxData, "box.id"))).Trim();

        // Registered: the entrance holds its EXCHANGE, with the owner's ceiling as its bandwidth.
        var exchange = await Eventually.Until(async () =>
        {
            using var response = await http.GetAsync($"http://127.0.0.1:{entrancePort}/api/boxes/{boxId}");
            return response.IsSuccessStatusCode ? (JsonElement?)(await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("lastExchange") : null;
        }, "the entrance to register the box", TimeSpan.FromSeconds(120));
        Assert.Equal(Ceiling.ToString(), exchange.GetProperty("BANDWIDTH-CEILING").ToString());
        Assert.Equal("ACTIVE", exchange.GetProperty("STATE").GetString());

        var media = Directory.CreateDirectory(Path.Combine(_root, "pub")).FullName;
        var publisherPort = FreePort.Next();
        var publisher = Keep(AppProcess.Start(App.Publisher,
        [
            "--config", "config.example.yaml",
            $"--Publisher:DataDirectory={Path.Combine(_root, "publisher")}", $"--Publisher:Port={publisherPort}",
            $"--Publisher:Entrances:0={entranceUrl}", $"--Publisher:PublishDirectories:0={media}",
            "--Publisher:Boxes=1", "--Publisher:Replication=1", "--Publisher:SearchInterval=00:00:01",
            "--Logging:LogLevel:Default=Warning",
        ]));
        await publisher.WaitForAsync($"http://127.0.0.1:{publisherPort}/health", "the publisher");

        var bytes = RandomNumberGenerator.GetBytes(300_000);
        await File.WriteAllBytesAsync(Path.Combine(media, "one.bin"), bytes);
        var api = new Uri($"http://127.0.0.1:{publisherPort}/api/files");
        using (var post = await http.PostAsJsonAsync(api, new { path = Path.Combine(media, "one.bin"), ttl = 20 }))
            Assert.True(post.StatusCode == HttpStatusCode.Accepted, await post.Content.ReadAsStringAsync());

        // Confirmed: the box answered STORED with the SHA-256 it computed, equal to the file's.
        var holder = await Eventually.Until(async () =>
        {
            var status = await http.GetFromJsonAsync<JsonElement>($"{api}/pub/one.bin");
            return status.GetProperty("holders").EnumerateArray().Where(h => h.GetProperty("confirmed").GetBoolean()).Select(h => (JsonElement?)h).FirstOrDefault();
        }, "the box to confirm the file", TimeSpan.FromSeconds(120));
        Assert.Equal(boxId, holder.GetProperty("box").GetString());
        var url = holder.GetProperty("url").GetString()!;
        Assert.Equal(bytes, await http.GetByteArrayAsync(url));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)),
            (await http.GetFromJsonAsync<JsonElement>($"{api}/pub/one.bin")).GetProperty("sha256").GetString());

        // Expired: 404 once the TTL has passed, and gone from the device's storage.
        await Eventually.Until(async () =>
        {
            using var response = await http.GetAsync(url);
            return response.StatusCode == HttpStatusCode.NotFound ? "gone" : null;
        }, "the file to expire", TimeSpan.FromSeconds(120));
        await Eventually.Until(() => Task.FromResult(Directory.EnumerateFiles(Path.Combine(boxData, "files"), "one.bin", SearchOption.AllDirectories).Any() ? null : "swept"),
            "the expired file to be deleted");
        Assert.False(box.HasExited, box.Output);
    }

    private AppProcess Keep(AppProcess process)
    {
        _processes.Add(process);
        return process;
    }
}
