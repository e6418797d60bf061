using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dandelion.Testing;

namespace Dandelion.Deployment.Tests;

/// <summary>
/// deploy/box/install.sh with the real native builds, for each architecture, into a scratch
/// root: the installed program runs (arm64 under qemu-user) with the installed settings, and a
/// reinstall and an <c>--upgrade</c> keep its identity, its token and the files it stored.
/// </summary>
public sealed class DeviceInstallTests : IDisposable
{
    private const string Publisher = "publisher-00112233445566778899aabbccddeeff";
    private readonly string _root = Directory.CreateTempSubdirectory("dandelion-device-install-").FullName;
    // The entrances' grant key, as a box keeps it once an entrance gave it: the installed box's
    // entrance is unreachable here, and a box that never heard one takes no file.
    private static readonly ECDsa GrantKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("x64")]
    [InlineData("arm64")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_native_box_installs_runs_and_upgrades_keeping_its_identity_token_and_stored_files(string arch)
    {
        var published = await PublishedBox.ForAsync(arch);
        var tree = Path.Combine(_root, "tree");
        var config = Path.Combine(tree, "etc/dandelion/box.yaml");
        var program = Path.Combine(tree, "opt/dandelion-box/Dandelion.Box");

        await BoxInstallTests.RunAsync("--root", tree, "--arch", arch, "--binary", published, "--upload-ceiling", "2M", "--quota", "20G",
            "--token", "device-token", "--entrance", "ws://127.0.0.1:9/dandelion/ws/", "--yes");
        var settings = await File.ReadAllTextAsync(config);
        Assert.Contains("\n  UploadCeiling: 2097152\n", settings);
        Assert.Contains("\n  StorageQuota: 21474836480\n", settings);
        Assert.Contains("\n  Token: \"device-token\"\n", settings);
        Assert.Contains("\n  Entrances: [\"ws://127.0.0.1:9/dandelion/ws/\"]\n", settings);

        var file = RandomNumberGenerator.GetBytes(50_000);
        var dataDirectory = Path.Combine(tree, "var/lib/dandelion-box");
        Directory.CreateDirectory(dataDirectory);
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "grant-key.pub"), Dandelion.Shared.Auth.PublishGrant.ExportPublicKey(GrantKey));
        var id = await RunInstalledAsync(tree, arch, async (boxId, port, httpPort) =>
        {
            await StoreAsync(boxId, port, "/kept/one.bin", file);
            using var http = new HttpClient();
            Assert.Equal(file, await http.GetByteArrayAsync($"http://127.0.0.1:{httpPort}/{Publisher}/kept/one.bin"));
        });

        // Installed again with one new setting: that one changes, the rest stays.
        await BoxInstallTests.RunAsync("--root", tree, "--arch", arch, "--binary", published, "--upload-ceiling", "4M", "--yes");
        settings = await File.ReadAllTextAsync(config);
        Assert.Contains("\n  UploadCeiling: 4194304\n", settings);
        Assert.Contains("\n  Token: \"device-token\"\n", settings);
        Assert.Contains("\n  StorageQuota: 21474836480\n", settings);

        // An upgrade swaps the program (here the same build with bytes after its end, which
        // changes the file and not what runs) and touches nothing else.
        var data = Snapshot(Path.Combine(tree, "var/lib/dandelion-box"));
        var newer = Path.Combine(_root, "newer");
        await File.WriteAllBytesAsync(newer, [.. await File.ReadAllBytesAsync(published), .. RandomNumberGenerator.GetBytes(64)]);
        await BoxInstallTests.RunAsync("--root", tree, "--arch", arch, "--binary", newer, "--upgrade");
        Assert.Equal(await File.ReadAllBytesAsync(newer), await File.ReadAllBytesAsync(program));
        Assert.Equal(await File.ReadAllBytesAsync(published), await File.ReadAllBytesAsync(program + ".previous"));
        Assert.Equal(settings, await File.ReadAllTextAsync(config));
        Assert.Equal(data, Snapshot(Path.Combine(tree, "var/lib/dandelion-box")));

        var after = await RunInstalledAsync(tree, arch, async (_, _, httpPort) =>
        {
            using var http = new HttpClient();
            Assert.Equal(file, await http.GetByteArrayAsync($"http://127.0.0.1:{httpPort}/{Publisher}/kept/one.bin"));
        });
        Assert.Equal(id, after);
    }

    /// <summary>Runs the installed program as the unit would (its settings file), on the tree's data directory; returns its id.</summary>
    private static async Task<string> RunInstalledAsync(string tree, string arch, Func<string, int, int, Task> whileRunning)
    {
        var (port, httpPort) = (FreePort.Next(), FreePort.Next());
        var data = Path.Combine(tree, "var/lib/dandelion-box");
        await using var box = AppProcess.StartNative(Path.Combine(tree, "opt/dandelion-box/Dandelion.Box"), arch,
        [
            $"--Box:DataDirectory={data}", "--Box:ListenAddress=127.0.0.1", "--Box:PublicHost=127.0.0.1",
            $"--Box:Port={port}", $"--Box:HttpPort={httpPort}", "--Logging:LogLevel:Default=Warning",
        ], new Dictionary<string, string> { ["DANDELION_CONFIG"] = Path.Combine(tree, "etc/dandelion/box.yaml") });
        await box.WaitForAsync($"http://127.0.0.1:{port}/alive", $"the installed {arch} box");
        var id = (await File.ReadAllTextAsync(Path.Combine(data, "box.id"))).Trim();
        using var http = new HttpClient();
        Assert.Equal($"HI {id}", await http.GetStringAsync($"http://127.0.0.1:{port}/dandelion/{id}/"));
        await whileRunning(id, port, httpPort);
        return id;
    }

    /// <summary>A version 2 publisher's PUBLISH and one file frame; fails unless the box answers STORED with the file's SHA-256.</summary>
    private static async Task StoreAsync(string boxId, int port, string path, byte[] bytes)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/dandelion/{boxId}/ws/"), CancellationToken.None);
        await SendAsync(socket, WebSocketMessageType.Text, JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["ID"] = Publisher, ["IP"] = "127.0.0.1", ["TYPE"] = "PUBLISHER", ["COMMAND"] = "PUBLISH", ["VERSION"] = 2,
            ["GRANT"] = Dandelion.Shared.Auth.PublishGrant.Issue(GrantKey, Publisher, boxId, DateTimeOffset.UtcNow.AddMinutes(5)),
        }));
        Assert.Equal("PUBLISH", (await ReceiveAsync(socket)).GetProperty("COMMAND").GetString());
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var header = JsonSerializer.Serialize(new Dictionary<string, object> { ["FILE_PATH"] = path, ["TTL"] = 3600, ["SIZE"] = bytes.Length, ["SHA256"] = sha });
        await SendAsync(socket, WebSocketMessageType.Binary, [.. "<Dandelion>"u8, .. Encoding.UTF8.GetBytes(header), .. "</Dandelion>"u8, .. bytes]);
        var stored = await ReceiveAsync(socket);
        Assert.Equal("STORED", stored.GetProperty("COMMAND").GetString());
        Assert.Equal(sha, stored.GetProperty("SHA256").GetString());
    }

    private static Task SendAsync(ClientWebSocket socket, WebSocketMessageType type, byte[] message) =>
        socket.SendAsync(message, type, endOfMessage: true, CancellationToken.None);

    private static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, deadline.Token);
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
                return JsonDocument.Parse(message.ToArray()).RootElement.Clone();
        }
    }

    /// <summary>Every file under <paramref name="directory"/> with its SHA-256, to compare a before and an after.</summary>
    private static string Snapshot(string directory) =>
        string.Join('\n', Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => $"{Path.GetRelativePath(directory, f)} {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))}"));
}
