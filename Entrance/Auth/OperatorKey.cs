using System.Security.Cryptography;
using Dandelion.Entrance.Configuration;

namespace Dandelion.Entrance.Auth;

/// <summary>
/// The bearer token the operator API and dashboard want: <c>Entrance:OperatorKey</c>, else the one
/// kept in <c>{DataDirectory}/operator.key</c>, made (and printed once to the log) at first start.
/// Compared in constant time through its SHA-256, so neither its bytes nor its length leak.
/// </summary>
internal sealed partial class OperatorKey : IHostedService
{
    public const string FileName = "operator.key";
    private readonly byte[] _hash;

    public OperatorKey(IOptions<EntranceOptions> options, ILogger<OperatorKey> logger)
    {
        var key = options.Value.OperatorKey;
        if (string.IsNullOrEmpty(key))
        {
            var path = Path.Combine(options.Value.DataDirectory, FileName);
            if (File.Exists(path))
            {
                key = File.ReadAllText(path).Trim();
            }
            else
            {
                key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
                Directory.CreateDirectory(options.Value.DataDirectory);
                File.WriteAllText(path, key + "\n");
                if (!OperatingSystem.IsWindows())
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                // Printed this once, so the operator can copy it; afterwards it is only in the file.
                Log.Made(logger, key, path);
            }
        }
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(key.Trim()));
    }

    /// <summary>Whether an <c>Authorization</c> header value is <c>Bearer {the key}</c>.</summary>
    public bool Accepts(string? authorization)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return false;
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, _hash);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Operator key made (shown once; kept in {Path}): {Key}")]
        public static partial void Made(ILogger logger, string key, string path);
    }
}
