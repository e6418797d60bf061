using System.Diagnostics;
using System.Net.Sockets;

namespace Dandelion.Testing;

/// <summary>The access-log formats a test nginx writes.</summary>
public enum NginxLogFormat
{
    /// <summary>nginx's predefined <c>combined</c>.</summary>
    Combined,
    /// <summary>The original Dandelion's <c>'"$request"-$status-$bytes_sent'</c>.</summary>
    Original,
}

/// <summary>
/// A real nginx (<c>/usr/sbin/nginx</c>, installed by scripts/setup.sh) serving a directory
/// on a free loopback port, with its pid file, temp paths, error log and access log inside
/// its own temporary directory. <see cref="RotateAsync"/> rotates the access log as logrotate
/// does with nginx: rename the file, then <c>nginx -s reopen</c>.
/// </summary>
public sealed class NginxServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _config;

    private NginxServer(Process process, string directory, string config, int port, string accessLog)
    {
        _process = process;
        Directory = directory;
        _config = config;
        Port = port;
        AccessLog = accessLog;
    }

    public string Directory { get; }
    public int Port { get; }
    public string AccessLog { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public static string Executable =>
        File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx"
        : RedisServer.FindExecutable("nginx") ?? throw new InvalidOperationException("nginx is not installed: run scripts/setup.sh.");

    /// <summary>Starts nginx serving <paramref name="root"/>; <c>/.incoming/</c> (unfinished files) is never served.</summary>
    public static async Task<NginxServer> StartAsync(string root, NginxLogFormat format)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("dandelion-nginx-").FullName;
        var temp = Path.Combine(directory, "temp");
        System.IO.Directory.CreateDirectory(temp);
        var port = FreePort.Next();
        var accessLog = Path.Combine(directory, "access.log");
        var config = Path.Combine(directory, "nginx.conf");
        // As root, workers would otherwise run as nobody and could not read a private temp directory.
        var user = Environment.UserName == "root" ? "user root root;" : "";
        var logFormat = format == NginxLogFormat.Original ? "original" : "combined";
        await File.WriteAllTextAsync(config, $$"""
            {{user}}
            worker_processes 1;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections 256; }
            http {
                client_body_temp_path {{temp}}/body;
                proxy_temp_path {{temp}}/proxy;
                fastcgi_temp_path {{temp}}/fastcgi;
                uwsgi_temp_path {{temp}}/uwsgi;
                scgi_temp_path {{temp}}/scgi;
                log_format original '"$request"-$status-$bytes_sent';
                access_log {{accessLog}} {{logFormat}};
                default_type application/octet-stream;
                types { video/mp2t ts; video/iso.segment m4s; video/mp4 mp4; application/vnd.apple.mpegurl m3u8; }
                server {
                    listen 127.0.0.1:{{port}};
                    root {{root}};
                    location / { add_header Access-Control-Allow-Origin * always; }
                    location /.incoming/ { return 404; }
                }
            }
            """);

        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-p", directory, "-c", config, "-g", "daemon off;" })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new NginxServer(process, directory, config, port, accessLog);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await AnswersAsync(port))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"nginx exited with {process.ExitCode}: {ErrorLog(directory)}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"nginx did not listen on {port} within 20 s: {ErrorLog(directory)}");
            await Task.Delay(50);
        }
        return server;
    }

    /// <summary>
    /// Renames the access log to <paramref name="suffix"/> and has nginx reopen it, as logrotate
    /// does; returns once nginx writes to a new file at the old path.
    /// </summary>
    public async Task RotateAsync(string suffix = ".1")
    {
        File.Move(AccessLog, AccessLog + suffix, overwrite: true);
        var reopen = Process.Start(new ProcessStartInfo(Executable, ["-p", Directory, "-c", _config, "-s", "reopen"])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        await reopen.WaitForExitAsync();
        if (reopen.ExitCode != 0)
            throw new InvalidOperationException($"nginx -s reopen failed: {await reopen.StandardError.ReadToEndAsync()}");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!File.Exists(AccessLog))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("nginx did not reopen its access log within 20 s.");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string ErrorLog(string directory)
    {
        var path = Path.Combine(directory, "error.log");
        return File.Exists(path) ? File.ReadAllText(path) : "(no error log)";
    }

    private static async Task<bool> AnswersAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
