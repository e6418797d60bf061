using System.Net.Sockets;
using System.Text;

namespace Dandelion.Benchmark.Peers;

/// <summary>
/// The Redis commands an operation costs, as Redis itself saw them: a <c>MONITOR</c> connection
/// records every command while the operation runs (commands run inside a script are left out:
/// the script's own call is counted). Follows the entrance's design as it changes, since nothing
/// here knows which commands the entrance sends.
/// </summary>
internal sealed class RedisCommands : IAsyncDisposable
{
    private readonly TcpClient _client = new();
    private readonly List<IReadOnlyList<string>> _seen = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _reading;

    public static async Task<RedisCommands> MonitorAsync(int port)
    {
        var monitor = new RedisCommands();
        await monitor._client.ConnectAsync("127.0.0.1", port);
        var stream = monitor._client.GetStream();
        await stream.WriteAsync("MONITOR\r\n"u8.ToArray());
        var reader = new StreamReader(stream, Encoding.UTF8);
        if (await reader.ReadLineAsync() != "+OK")
            throw new InvalidOperationException("Redis refused MONITOR.");
        monitor._reading = monitor.ReadAsync(reader);
        return monitor;
    }

    /// <summary>Commands seen so far, each as its arguments, in order.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Seen
    {
        get
        {
            lock (_seen)
                return _seen.ToList();
        }
    }

    public void Clear()
    {
        lock (_seen)
            _seen.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _client.Dispose();
        if (_reading is not null)
            await _reading;
        _stop.Dispose();
    }

    private async Task ReadAsync(StreamReader reader)
    {
        try
        {
            // +1700000000.123456 [0 127.0.0.1:50000] "SET" "key" "value"
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var bracket = line.IndexOf("] ", StringComparison.Ordinal);
                if (bracket < 0 || line.AsSpan(0, bracket).Contains(" lua", StringComparison.Ordinal))
                    continue;
                var arguments = Parse(line.AsSpan(bracket + 2));
                lock (_seen)
                    _seen.Add(arguments);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    /// <summary>MONITOR's quoting: <c>"…"</c> with <c>\"</c>, <c>\\</c>, <c>\n</c>, <c>\r</c>, <c>\t</c> and <c>\xHH</c> escapes.</summary>
    private static List<string> Parse(ReadOnlySpan<char> text)
    {
        var arguments = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '"')
            {
                i++;
                continue;
            }
            var value = new List<byte>();
            for (i++; i < text.Length && text[i] != '"'; i++)
            {
                if (text[i] != '\\' || i + 1 >= text.Length)
                {
                    value.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
                    continue;
                }
                var escaped = text[++i];
                if (escaped == 'x' && i + 2 < text.Length)
                {
                    value.Add(Convert.ToByte(text.Slice(i + 1, 2).ToString(), 16));
                    i += 2;
                }
                else
                {
                    value.Add((byte)(escaped switch { 'n' => '\n', 'r' => '\r', 't' => '\t', 'a' => '\a', 'b' => '\b', _ => escaped }));
                }
            }
            i++;
            arguments.Add(Encoding.UTF8.GetString(value.ToArray()));
        }
        return arguments;
    }
}
