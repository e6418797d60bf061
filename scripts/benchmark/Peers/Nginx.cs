using System.Globalization;
using Dandelion.LocalNetwork;

namespace Dandelion.Benchmark.Peers;

/// <summary>
/// nginx as a peer, on a free loopback port, configured as a box operator would run it: one
/// worker, sendfile, access log on (the box writes one too), plus the given <c>location</c> blocks.
/// </summary>
internal static class Nginx
{
    public static async Task<(ChildProcess Process, int Port)> StartAsync(ProcessGroup group, string name, string root, string locations,
        CancellationToken cancellationToken)
    {
        var nginx = ProcessGroup.FindExecutable("nginx") ?? throw new InvalidOperationException("nginx is not installed: run ./scripts/setup.sh.");
        var directory = Directory.CreateDirectory(Path.Combine(group.RunDirectory, name)).FullName;
        var temp = Directory.CreateDirectory(Path.Combine(directory, "temp")).FullName;
        var port = FreePort.Next();
        var user = Environment.UserName == "root" ? "user root root;" : "";
        var config = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $$"""
            {{user}}
            worker_processes 1;
            daemon off;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections 4096; }
            http {
                client_body_temp_path {{temp}}/body;
                proxy_temp_path {{temp}}/proxy;
                fastcgi_temp_path {{temp}}/fastcgi;
                uwsgi_temp_path {{temp}}/uwsgi;
                scgi_temp_path {{temp}}/scgi;
                access_log {{directory}}/access.log combined;
                sendfile on;
                tcp_nopush on;
                keepalive_requests 1000000;
                default_type application/octet-stream;
                types { video/mp2t ts; application/vnd.apple.mpegurl m3u8; }
                server {
                    listen 127.0.0.1:{{port}};
                    root {{root}};
            {{locations}}
                }
            }
            """), cancellationToken);
        var process = await group.StartAsync(name, nginx, ["-p", directory, "-c", config], directory);
        await group.WaitAsync(process, () => Task.FromResult(PortOpen(port)), $"nginx to listen on {port}", cancellationToken);
        return (process, port);
    }

    private static bool PortOpen(int port)
    {
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
