using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Testcontainers.Redis;

namespace Dandelion.Testing;

/// <summary>
/// A real Redis for one test class: a Testcontainers container when a Docker engine
/// answers, otherwise the locally installed redis-server on a free loopback port with
/// no persistence. Either way it can be stopped and started again on the same address.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly RedisContainer? _container;
    private readonly string _directory;
    private Process? _process;

    private RedisServer(RedisContainer? container, int port, string directory)
    {
        _container = container;
        Port = port;
        _directory = directory;
    }

    public int Port { get; private set; }

    /// <summary>StackExchange.Redis configuration string for this server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        if (DockerAnswers())
        {
            try
            {
                var container = new RedisBuilder("redis:7-alpine").Build();
                await container.StartAsync();
                return new RedisServer(container, container.GetMappedPublicPort(6379), "");
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A socket that does not lead to a working engine: use the local server.
            }
        }

        var directory = Directory.CreateTempSubdirectory("dandelion-redis-").FullName;
        var server = new RedisServer(null, FreePort.Next(), directory);
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>Stops the server as a crash would: connections drop, data is gone.</summary>
    public async Task StopAsync()
    {
        if (_container is not null)
        {
            await _container.StopAsync();
            return;
        }
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        _process = null;
    }

    /// <summary>Starts it again on the same port.</summary>
    public async Task StartAgainAsync()
    {
        if (_container is not null)
        {
            await _container.StartAsync();
            Port = _container.GetMappedPublicPort(6379);
            return;
        }
        await StartProcessAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
            return;
        }
        await StopAsync();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private async Task StartProcessAsync()
    {
        var executable = FindExecutable("redis-server")
            ?? throw new InvalidOperationException("redis-server is not installed and no Docker engine answers: run scripts/setup.sh.");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        foreach (var arg in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", _directory, "--protected-mode", "no" })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"redis-server exited with {process.ExitCode} on port {Port}.");
            if (await PingAsync(Port))
                return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"redis-server did not answer PING on port {Port} within 20 s.");
    }

    private static async Task<bool> PingAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static bool DockerAnswers()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (!string.IsNullOrEmpty(host))
            return true;
        const string socketPath = "/var/run/docker.sock";
        if (!File.Exists(socketPath))
            return false;
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    internal static string? FindExecutable(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/sbin").Append("/usr/bin"))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }
}
