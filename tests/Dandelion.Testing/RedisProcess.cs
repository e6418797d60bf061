using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Dandelion.Testing;

/// <summary>One local redis-server (or sentinel) process on a loopback port, with no persistence.</summary>
public sealed class RedisProcess : IAsyncDisposable
{
    private Process? _process;
    private readonly IReadOnlyList<string> _arguments;

    private RedisProcess(int port, string directory, IReadOnlyList<string> arguments)
    {
        Port = port;
        Directory = directory;
        _arguments = arguments;
    }

    public int Port { get; }
    public string Directory { get; }
    public string EndPoint => $"127.0.0.1:{Port}";
    public bool Running => _process is { HasExited: false };

    /// <summary>
    /// Starts on a port <paramref name="choosePort"/> gives (<see cref="FreePort.Next"/> by default); when
    /// redis-server exits at once because the port (or a cluster node's bus port) was taken
    /// between choosing and binding, as happens with fixtures starting side by side, tries another.
    /// </summary>
    public static async Task<RedisProcess> StartOnFreePortAsync(IReadOnlyList<string> extra, Func<int>? choosePort = null,
        Func<int, string>? configText = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = (choosePort ?? FreePort.Next)();
            try
            {
                return await StartAsync(port, extra, configText?.Invoke(port));
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
            }
        }
    }

    /// <summary>Starts <c>redis-server [config file] --port P …extra</c> in its own directory and waits for PING.</summary>
    public static async Task<RedisProcess> StartAsync(int port, IEnumerable<string> extra, string? configText = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory($"dandelion-redis-{port}-").FullName;
        var arguments = new List<string>();
        if (configText is not null)
        {
            var config = Path.Combine(directory, "redis.conf");
            await File.WriteAllTextAsync(config, configText);
            arguments.Add(config);
        }
        arguments.AddRange(["--port", port.ToString(), "--bind", "127.0.0.1", "--protected-mode", "no", "--daemonize", "no", "--dir", directory]);
        arguments.AddRange(extra);
        var redis = new RedisProcess(port, directory, arguments);
        await redis.StartAgainAsync();
        return redis;
    }

    /// <summary>Starts it again with the same arguments, on the same port and directory.</summary>
    public async Task StartAgainAsync()
    {
        var executable = RedisServer.FindExecutable("redis-server")
            ?? throw new InvalidOperationException("redis-server is not installed: run scripts/setup.sh.");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Directory,
        };
        foreach (var argument in _arguments)
            start.ArgumentList.Add(argument);
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
            if (await CommandAsync("PING") is { } pong && pong.StartsWith("+PONG", StringComparison.Ordinal))
                return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"redis-server did not answer PING on port {Port} within 20 s.");
    }

    /// <summary>Sends one inline command; the raw reply, or null when nothing answers.</summary>
    public async Task<string?> CommandAsync(string command)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
            var buffer = new byte[64 * 1024];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            return Encoding.ASCII.GetString(buffer, 0, read);
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException)
        {
            return null;
        }
    }

    /// <summary>SIGSTOP: it holds its connections but does nothing (a replica falling behind).</summary>
    public void Pause() => Signal(19);

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => Signal(18);

    private void Signal(int signal)
    {
        if (_process is { HasExited: false } process && kill(process.Id, signal) != 0)
            throw new InvalidOperationException($"signal {signal} to redis-server {Port} failed.");
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    /// <summary>SIGKILL: as a crash, connections drop and nothing is saved.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
