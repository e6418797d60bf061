using System.Net.Sockets;
using Testcontainers.Redis;

namespace Dandelion.Testing;

/// <summary>
/// A real Redis for one test class: a Testcontainers container when a Docker engine
/// answers, otherwise the locally installed redis-server (a <see cref="RedisProcess"/>) on a
/// free loopback port with no persistence. Either way it can be stopped and started again on the same address.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly RedisContainer? _container;
    private readonly RedisProcess? _local;

    private RedisServer(RedisContainer? container, RedisProcess? local, int port)
    {
        _container = container;
        _local = local;
        Port = port;
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
                return new RedisServer(container, null, container.GetMappedPublicPort(6379));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A socket that does not lead to a working engine: use the local server.
            }
        }

        if (FindExecutable("redis-server") is null)
            throw new InvalidOperationException("redis-server is not installed and no Docker engine answers: run scripts/setup.sh.");
        var local = await RedisProcess.StartOnFreePortAsync(["--save", "", "--appendonly", "no"]);
        return new RedisServer(null, local, local.Port);
    }

    /// <summary>Stops the server as a crash would: connections drop, data is gone.</summary>
    public async Task StopAsync()
    {
        if (_container is not null)
            await _container.StopAsync();
        else
            await _local!.KillAsync();
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
        await _local!.StartAgainAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_container is not null)
            await _container.DisposeAsync();
        else
            await _local!.DisposeAsync();
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
