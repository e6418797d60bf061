using Dandelion.Publisher.Configuration;
using Microsoft.Extensions.Options;

namespace Dandelion.Publisher;

/// <summary>
/// Stops the app at start with a message naming the key that is wrong. At the app's root, beside
/// Program.cs: it asks the features (publish roots, box TLS) to check their own sections.
/// </summary>
internal sealed class PublisherOptionsValidator : IValidateOptions<PublisherOptions>
{
    public ValidateOptionsResult Validate(string? name, PublisherOptions options)
    {
        var failures = new List<string>();
        const string s = PublisherOptions.Section;

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
            failures.Add($"{s}:DataDirectory must be set.");
        if (options.Port is < 0 or > 65535)
            failures.Add($"{s}:Port must be between 0 and 65535, not {options.Port}.");
        if (string.IsNullOrWhiteSpace(options.Ip))
            failures.Add($"{s}:Ip must be set.");
        for (var i = 0; i < options.Entrances.Count; i++)
        {
            if (Shared.Protocol.EntranceUrl.WebSocketForm(options.Entrances[i]) is null)
                failures.Add($"{s}:Entrances:{i} must be a ws://, wss://, http:// or https:// URL, not '{options.Entrances[i]}'.");
        }
        if (options.Boxes < 1)
            failures.Add($"{s}:Boxes must be at least 1, not {options.Boxes}.");
        if (options.Replication < 1)
            failures.Add($"{s}:Replication must be at least 1, not {options.Replication}.");
        if (options.Replication > options.Boxes)
            failures.Add($"{s}:Replication ({options.Replication}) cannot exceed {s}:Boxes ({options.Boxes}).");
        if (options.QueueLimit < 1)
            failures.Add($"{s}:QueueLimit must be at least 1, not {options.QueueLimit}.");
        Positive(options.SearchInterval, "SearchInterval");
        Positive(options.SendTimeout, "SendTimeout");
        Positive(options.LiveSegmentWait, "LiveSegmentWait");
        if (options.BoxCheckInterval < TimeSpan.FromMilliseconds(50) || options.BoxCheckInterval > TimeSpan.FromSeconds(10))
            failures.Add($"{s}:BoxCheckInterval must be between 00:00:00.05 and 00:00:10, not {options.BoxCheckInterval}.");
        if (options.BoxCheckTimeout < TimeSpan.FromMilliseconds(50) || options.BoxCheckTimeout > TimeSpan.FromSeconds(10))
            failures.Add($"{s}:BoxCheckTimeout must be between 00:00:00.05 and 00:00:10, not {options.BoxCheckTimeout}.");
        if (options.DefaultTtl < TimeSpan.Zero || options.DefaultTtl.Ticks % TimeSpan.TicksPerSecond != 0)
            failures.Add($"{s}:DefaultTtl must be a whole number of seconds, 0 or more (0: each box's default), not {options.DefaultTtl}.");

        for (var i = 0; i < options.PublishDirectories.Count; i++)
        {
            var directory = options.PublishDirectories[i];
            if (string.IsNullOrWhiteSpace(directory) || !Directory.Exists(directory))
                failures.Add($"{s}:PublishDirectories:{i} '{directory}' is not an existing directory.");
        }
        foreach (var clash in Placement.PublishRoots.Describe(options).GroupBy(r => r.Name).Where(g => g.Count() > 1))
        {
            failures.Add($"{s}:PublishDirectories and {s}:LiveDirectory: '{string.Join("', '", clash.Select(r => r.Directory))}' share the name " +
                $"'{clash.Key}'; files are published under their directory's name, so names must differ.");
        }
        if (options.LiveDirectory is { Length: > 0 } live && File.Exists(live))
            failures.Add($"{s}:LiveDirectory '{live}' is a file, not a directory.");
        if (options.GeoIp.CityDatabase is { Length: > 0 } db && !File.Exists(db))
            failures.Add($"{s}:GeoIp:CityDatabase '{db}' does not exist.");

        if (options.Name is not null && (options.Name.Trim().Length is 0 or > 64 || options.Name.Any(char.IsControl)))
            failures.Add($"{s}:Name must be 1 to 64 printable characters.");
        failures.AddRange(options.Telemetry.Problems(s));
        failures.AddRange(Shared.Hosting.ViewerOrigins.Problems(options.AllowedOrigins, $"{s}:AllowedOrigins"));
        failures.AddRange(Boxes.BoxCertificates.Check(options.BoxTls, $"{s}:BoxTls"));
        failures.AddRange(Shared.Hosting.TlsCertificates.Check(options.Tls, $"{s}:Tls"));

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Positive(TimeSpan value, string key)
        {
            if (value <= TimeSpan.Zero)
                failures.Add($"{s}:{key} must be more than zero, not {value}.");
        }
    }
}
