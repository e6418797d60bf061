using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Dandelion.Box.Traffic;
using Dandelion.Testing;

namespace Dandelion.Deployment.Tests;

/// <summary>
/// The nginx configurations the compose files mount, run by a real nginx (scripts/setup.sh
/// installs it) inside the http block the nginx image gives them, with only the container
/// paths, the listen port and the upstream's name swapped for local ones.
/// </summary>
public sealed class NginxConfTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dandelion-nginx-conf-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task The_box_nginx_serves_stored_files_hides_unfinished_ones_and_logs_what_the_box_can_read()
    {
        var files = Directory.CreateDirectory(Path.Combine(_directory, "files")).FullName;
        var logs = Directory.CreateDirectory(Path.Combine(_directory, "logs")).FullName;
        Directory.CreateDirectory(Path.Combine(files, "publisher-1", "live"));
        Directory.CreateDirectory(Path.Combine(files, ".incoming"));
        var segment = new byte[5000];
        Random.Shared.NextBytes(segment);
        await File.WriteAllBytesAsync(Path.Combine(files, "publisher-1", "live", "seg.ts"), segment);
        await File.WriteAllBytesAsync(Path.Combine(files, ".incoming", "half.ts"), [1, 2, 3]);

        var port = FreePort.Next();
        await using var nginx = await RunningNginx.StartAsync(_directory, Path.Combine(RepositoryPaths.Root, "deploy", "box", "nginx.conf"), port, new()
        {
            ["listen 80;"] = $"listen 127.0.0.1:{port};",
            ["root /srv/files;"] = $"root {files};",
            ["/var/log/dandelion/"] = logs + "/",
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        using (var response = await http.GetAsync("publisher-1/live/seg.ts"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(segment, await response.Content.ReadAsByteArrayAsync());
            Assert.Equal("video/mp2t", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        }
        using (var response = await http.GetAsync(".incoming/half.ts"))
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using (var response = await http.GetAsync("nginx-health"))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // nginx writes a line when the response is done: give it a moment.
        var log = Path.Combine(logs, "access.log");
        string[] lines = [];
        for (var i = 0; i < 100 && lines.Length < 2; i++)
        {
            lines = File.Exists(log) ? await File.ReadAllLinesAsync(log) : [];
            await Task.Delay(50);
        }
        var served = lines.Select(l => AccessLogParser.TryParse(l, out var r) ? r : null).ToList();
        Assert.All(served, Assert.NotNull);
        Assert.Equal(["/publisher-1/live/seg.ts 200 5000", "/.incoming/half.ts 404"],
            served.Select(r => r!.Status == 200 ? $"{r.Url} {r.Status} {r.Size}" : $"{r.Url} {r.Status}"));
    }

    [Fact]
    public async Task The_entrance_nginx_passes_WebSockets_and_the_entrance_counts_clients_by_X_Forwarded_For()
    {
        await using var redis = await RedisServer.StartAsync();
        var entrancePort = FreePort.Next();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_HTTP_PORTS"] = entrancePort.ToString(),
            ["DANDELION_Entrance__Redis"] = redis.ConnectionString,
            ["DANDELION_Entrance__DataDirectory"] = Path.Combine(_directory, "entrance"),
            ["DANDELION_Entrance__KeyPrefix"] = "deploy-" + Guid.NewGuid().ToString("N"),
            // As docker-compose.yml does with nginx's fixed address; one socket per address.
            ["DANDELION_Entrance__GeoIp__TrustedProxies__0"] = "127.0.0.1",
            ["DANDELION_Entrance__MaxConnectionsPerAddress"] = "1",
        };
        string[] args = ["--config", "config.example.yaml"];
        await using var entrance = AppProcess.Start(App.Entrance, args, environment);
        await entrance.ProbeUntilAsync(App.Entrance, args, 0, environment);

        var port = FreePort.Next();
        await using var nginx = await RunningNginx.StartAsync(_directory, Path.Combine(RepositoryPaths.Root, "deploy", "nginx", "entrance.conf"), port, new()
        {
            ["listen 80;"] = $"listen 127.0.0.1:{port};",
            ["server entrance:8000;"] = $"server 127.0.0.1:{entrancePort};",
        });

        using var http = new HttpClient();
        Assert.StartsWith("HI ", await http.GetStringAsync($"http://127.0.0.1:{port}/dandelion/"));

        // The operator API is not proxied to the public side, even with the operator key.
        var operatorKey = (await File.ReadAllTextAsync(Path.Combine(_directory, "entrance", "operator.key"))).Trim();
        foreach (var path in new[] { "/api/stats", "/api/boxes", "/api/network", "/api", "/api/../api/stats", "/%61pi/stats" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}{path}");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", operatorKey);
            using var refused = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }
        using (var direct = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{entrancePort}/api/stats"))
        {
            direct.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", operatorKey);
            using var answered = await http.SendAsync(direct);
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);   // on the entrance's own port, with the key
        }

        // Each client from its own loopback address, as households from theirs; nginx's
        // connection to the entrance always comes from 127.0.0.1.
        var url = new Uri($"ws://127.0.0.1:{port}/dandelion/ws/");
        using var first = await ConnectAsync(url, IPAddress.Parse("127.0.0.2"));
        using var second = await ConnectAsync(url, IPAddress.Parse("127.0.0.3"));
        // A client's own X-Forwarded-For does not make it someone else: nginx appends the
        // address it sees, and the entrance takes the right-most address it does not trust.
        using var again = await ConnectAsync(url, IPAddress.Parse("127.0.0.2"), forwardedFor: "198.51.100.1");

        // The third shares the first's address: refused at once. The second does not, and
        // is not (all three would count as nginx's 127.0.0.1 without the header).
        Assert.Contains("rate-limited", await ReceiveTextAsync(again, TimeSpan.FromSeconds(30)));
        // (Giving up on the receive aborts that socket, so nothing is asked of it afterwards.)
        Assert.Equal(WebSocketState.Open, first.State);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ReceiveTextAsync(second, TimeSpan.FromSeconds(3)));
    }

    private static async Task<ClientWebSocket> ConnectAsync(Uri url, IPAddress from, string? forwardedFor = null)
    {
        var socket = new ClientWebSocket();
        if (forwardedFor is not null)
            socket.Options.SetRequestHeader("X-Forwarded-For", forwardedFor);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    tcp.Bind(new IPEndPoint(from, 0));
                    await tcp.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(tcp, ownsSocket: true);
                }
                catch
                {
                    tcp.Dispose();
                    throw;
                }
            },
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(url, new HttpMessageInvoker(handler), timeout.Token);
        return socket;
    }

    private static async Task<string> ReceiveTextAsync(ClientWebSocket socket, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var buffer = new byte[64 * 1024];
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        return result.MessageType == WebSocketMessageType.Close
            ? $"close {result.CloseStatus} {result.CloseStatusDescription}"
            : System.Text.Encoding.UTF8.GetString(buffer, 0, result.Count);
    }

    /// <summary>A real nginx running one of our server configurations.</summary>
    private sealed class RunningNginx(Process process, string directory) : IAsyncDisposable
    {
        public static async Task<RunningNginx> StartAsync(string parent, string confPath, int port, Dictionary<string, string> swaps)
        {
            var conf = await File.ReadAllTextAsync(confPath);
            foreach (var (from, to) in swaps)
            {
                // If the file no longer says this, the swap (and the test) must be looked at again.
                Assert.Contains(from, conf);
                conf = conf.Replace(from, to, StringComparison.Ordinal);
            }
            var directory = Directory.CreateDirectory(Path.Combine(parent, "nginx-" + port)).FullName;
            var temp = Directory.CreateDirectory(Path.Combine(directory, "temp")).FullName;
            var main = Path.Combine(directory, "nginx.conf");
            // What the nginx image's /etc/nginx/nginx.conf puts around conf.d/default.conf.
            await File.WriteAllTextAsync(main, $$"""
                {{(Environment.UserName == "root" ? "user root root;" : "")}}
                worker_processes 1;
                pid {{directory}}/nginx.pid;
                error_log {{directory}}/error.log warn;
                events { worker_connections 256; }
                http {
                    include /etc/nginx/mime.types;
                    default_type application/octet-stream;
                    access_log {{directory}}/default-access.log;
                    client_body_temp_path {{temp}}/body;
                    proxy_temp_path {{temp}}/proxy;
                    fastcgi_temp_path {{temp}}/fastcgi;
                    uwsgi_temp_path {{temp}}/uwsgi;
                    scgi_temp_path {{temp}}/scgi;
                    {{conf}}
                }
                """);
            var start = new ProcessStartInfo(NginxServer.Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "-p", directory, "-c", main, "-g", "daemon off;" })
                start.ArgumentList.Add(arg);
            var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!await AnswersAsync(port))
            {
                if (process.HasExited)
                    throw new InvalidOperationException($"nginx refused {confPath}: {await stderr}");
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"nginx did not listen on {port}");
                await Task.Delay(50);
            }
            return new RunningNginx(process, directory);
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            process.Dispose();
            _ = directory;
        }

        private static async Task<bool> AnswersAsync(int port)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }
    }
}
