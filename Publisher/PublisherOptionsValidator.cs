using Dandelion.Publisher.Configuration;
using Dandelion.Shared.Configuration;

namespace Dandelion.Publisher;

/// <summary>
/// Stops the app at start with a message naming the key that is wrong. At the app's root, beside
/// Program.cs: it asks the features (publish roots, box TLS) to check their own sections.
/// </summary>
internal sealed class PublisherOptionsValidator() : SectionValidator<PublisherOptions>(PublisherOptions.Section)
{
    protected override void Check(PublisherOptions options, OptionsFailures failures)
    {
        const string s = PublisherOptions.Section;

        failures.Require(!string.IsNullOrWhiteSpace(options.DataDirectory), "DataDirectory", "must be set.");
        failures.Require(options.Port is >= 0 and <= 65535, "Port", $"must be between 0 and 65535, not {options.Port}.");
        failures.Require(!string.IsNullOrWhiteSpace(options.Ip), "Ip", "must be set.");
        for (var i = 0; i < options.Entrances.Count; i++)
        {
            failures.Require(Shared.Protocol.EntranceUrl.WebSocketForm(options.Entrances[i]) is not null, $"Entrances:{i}",
                $"must be a ws://, wss://, http:// or https:// URL, not '{options.Entrances[i]}'.");
        }
        failures.Require(options.Boxes >= 1, "Boxes", $"must be at least 1, not {options.Boxes}.");
        failures.Require(options.Replication >= 1, "Replication", $"must be at least 1, not {options.Replication}.");
        failures.Require(options.Replication <= options.Boxes, "Replication", $"({options.Replication}) cannot exceed {s}:Boxes ({options.Boxes}).");
        failures.Require(options.QueueLimit >= 1, "QueueLimit", $"must be at least 1, not {options.QueueLimit}.");
        foreach (var (value, key) in new[] { (options.SearchInterval, "SearchInterval"), (options.SendTimeout, "SendTimeout"), (options.LiveSegmentWait, "LiveSegmentWait") })
            failures.Require(value > TimeSpan.Zero, key, $"must be more than zero, not {value}.");
        failures.Require(options.BoxCheckInterval >= TimeSpan.FromMilliseconds(50) && options.BoxCheckInterval <= TimeSpan.FromSeconds(10), "BoxCheckInterval",
            $"must be between 00:00:00.05 and 00:00:10, not {options.BoxCheckInterval}.");
        failures.Require(options.BoxCheckTimeout >= TimeSpan.FromMilliseconds(50) && options.BoxCheckTimeout <= TimeSpan.FromSeconds(10), "BoxCheckTimeout",
            $"must be between 00:00:00.05 and 00:00:10, not {options.BoxCheckTimeout}.");
        failures.Require(options.DefaultTtl >= TimeSpan.Zero && options.DefaultTtl.Ticks % TimeSpan.TicksPerSecond == 0, "DefaultTtl",
            $"must be a whole number of seconds, 0 or more (0: each box's default), not {options.DefaultTtl}.");

        for (var i = 0; i < options.PublishDirectories.Count; i++)
        {
            var directory = options.PublishDirectories[i];
            failures.Require(!string.IsNullOrWhiteSpace(directory) && Directory.Exists(directory), $"PublishDirectories:{i}", $"'{directory}' is not an existing directory.");
        }
        foreach (var clash in Placement.PublishRoots.Describe(options).GroupBy(r => r.Name).Where(g => g.Count() > 1))
        {
            failures.Add([$"{s}:PublishDirectories and {s}:LiveDirectory: '{string.Join("', '", clash.Select(r => r.Directory))}' share the name " +
                $"'{clash.Key}'; files are published under their directory's name, so names must differ."]);
        }
        failures.Require(options.LiveDirectory is not { Length: > 0 } live || !File.Exists(live), "LiveDirectory", $"'{options.LiveDirectory}' is a file, not a directory.");
        failures.Require(options.GeoIp.CityDatabase is not { Length: > 0 } db || File.Exists(db), "GeoIp:CityDatabase", $"'{options.GeoIp.CityDatabase}' does not exist.");

        failures.Require(options.Name is null || options.Name.Trim().Length is > 0 and <= 64 && !options.Name.Any(char.IsControl), "Name",
            "must be 1 to 64 printable characters.");
        failures.Add(options.Telemetry.Problems(s));
        failures.Add(Shared.Hosting.ViewerOrigins.Problems(options.AllowedOrigins, $"{s}:AllowedOrigins"));
        failures.Add(Boxes.BoxCertificates.Check(options.BoxTls, $"{s}:BoxTls"));
        failures.Add(Shared.Hosting.TlsCertificates.Check(options.Tls, $"{s}:Tls"));
    }
}
