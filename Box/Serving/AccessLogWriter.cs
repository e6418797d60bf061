using System.Text;
using System.Threading.Channels;
using Dandelion.Box.Node;
using Dandelion.Box.Traffic;
using Microsoft.Extensions.Options;

namespace Dandelion.Box.Serving;

/// <summary>
/// Appends one line per served request to the access log, from one writer. If the file is
/// renamed or removed (rotation), it is reopened at its path within a second, as nginx does
/// on <c>reopen</c>.
/// </summary>
internal sealed partial class AccessLogWriter(IOptions<BoxOptions> options, TrafficOutbox outbox, TimeProvider time, ILogger<AccessLogWriter> logger) : BackgroundService
{
    private static readonly TimeSpan ReopenCheck = TimeSpan.FromSeconds(1);
    private readonly Channel<string> _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(10_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly string _path = options.Value.AccessLogPath;
    private readonly bool _enabled = options.Value.WriteAccessLog;
    private readonly long _maxSize = options.Value.AccessLogMaxSize;

    public ValueTask WriteAsync(string line, CancellationToken cancellationToken) =>
        _enabled ? _lines.Writer.WriteAsync(line, cancellationToken) : ValueTask.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_enabled)
            return;
        FileStream? file = null;
        var checkedAt = DateTimeOffset.MinValue;
        try
        {
            while (await _lines.Reader.WaitToReadAsync(stoppingToken))
            {
                var now = time.GetUtcNow();
                var text = new StringBuilder();
                while (_lines.Reader.TryRead(out var line))
                    text.Append(line).Append('\n');
                try
                {
                    if (file is null || now - checkedAt >= ReopenCheck)
                    {
                        checkedAt = now;
                        if (file is not null && FileIdentity.Of(_path) != FileIdentity.Of(file.SafeFileHandle))
                        {
                            file.Dispose();
                            file = null;
                        }
                        file ??= Open();
                    }
                    file.Write(Encoding.UTF8.GetBytes(text.ToString()));
                    file.Flush();
                    // Rotate as logrotate would, but only once the traffic follower reads this file:
                    // then the old .1 it replaces has been read to its end.
                    if (_maxSize > 0 && file.Length >= _maxSize && outbox.Position.Inode == FileIdentity.Of(file.SafeFileHandle))
                    {
                        File.Move(_path, _path + ".1", overwrite: true);
                        file.Dispose();
                        file = Open();
                        Log.Rotated(logger, _path);
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // A full disk or a missing directory: these lines are lost, serving goes on.
                    Log.WriteFailed(logger, _path, ex.Message);
                    file?.Dispose();
                    file = null;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            file?.Dispose();
        }
    }

    private FileStream Open()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        return new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
    }

    private static partial class Log
    {
        [LoggerMessage(2, LogLevel.Information, "Access log {Path} reached its size limit and was rotated to .1")]
        public static partial void Rotated(ILogger logger, string path);

        [LoggerMessage(1, LogLevel.Warning, "Could not write the access log {Path}: {Reason}")]
        public static partial void WriteFailed(ILogger logger, string path, string reason);
    }
}
