using System.Security.Cryptography;
using Dandelion.Entrance.Configuration;

namespace Dandelion.Entrance.Auth;

/// <summary>
/// The secret node credentials are made from (<see cref="Dandelion.Shared.Auth.NodeToken"/>):
/// <c>Entrance:Auth:Secret</c>, else the one kept in <c>Entrance:Auth:SecretFile</c> (default
/// <c>{DataDirectory}/node-secret.key</c>), made at first start. Null only when the operator turned auth off (<c>Entrance:Auth:Enabled: false</c>),
/// which is logged as a warning at every start.
/// </summary>
internal sealed partial class NodeSecret : IHostedService
{
    public const string FileName = "node-secret.key";

    public NodeSecret(IOptions<EntranceOptions> options, ILogger<NodeSecret> logger)
    {
        Value = Resolve(options.Value, create: true, out var madeAt);
        if (Value is null)
            Log.AuthOff(logger);
        else if (madeAt is not null)
            Log.Made(logger, madeAt);
    }

    /// <summary>Null when auth is off.</summary>
    public string? Value { get; }

    public bool Enabled => Value is not null;

    /// <param name="create">Make and keep a new secret when none is configured or kept (the entrance); false for the CLI.</param>
    /// <param name="madeAt">The file a new secret was written to, when one was made.</param>
    public static string? Resolve(EntranceOptions options, bool create, out string? madeAt)
    {
        madeAt = null;
        if (!options.Auth.Enabled)
            return null;
        if (!string.IsNullOrEmpty(options.Auth.Secret))
            return options.Auth.Secret;
        var path = Path.GetFullPath(options.Auth.SecretFile is { Length: > 0 } file ? file : Path.Combine(options.DataDirectory, FileName));
        if (Read(path) is { } kept)
            return kept;
        if (!create)
            return null;
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Written beside and renamed, so a crash never leaves a half-written secret; never over
        // another's, so entrances starting at once on a shared file all take the first one made.
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, secret + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (Read(path) is { } first)
        {
            File.Delete(temporary);
            return first;
        }
        madeAt = path;
        return secret;
    }

    private static string? Read(string path) =>
        File.Exists(path) && File.ReadAllText(path).Trim() is { Length: >= 16 } kept ? kept : null;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Authentication is OFF (Entrance:Auth:Enabled is false): any peer can speak for any box or publisher id and move its figures, and boxes get no grant key to check pushes with.")]
        public static partial void AuthOff(ILogger logger);

        [LoggerMessage(2, LogLevel.Information, "Node secret made and kept in {Path}; issue node credentials with 'credential' (docs/DEPLOYMENT.md, Enrolment).")]
        public static partial void Made(ILogger logger, string path);
    }
}
