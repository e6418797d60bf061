using Dandelion.Shared.Configuration;

namespace Dandelion.Box.Node;

/// <summary>A bad value stops the box at start with a message naming the key.</summary>
internal sealed class BoxOptionsValidator() : SectionValidator<BoxOptions>(BoxOptions.Section)
{
    protected override void Check(BoxOptions o, OptionsFailures errors)
    {

        errors.Require(!string.IsNullOrWhiteSpace(o.DataDirectory), nameof(o.DataDirectory), "must be set.");
        errors.Require(o.Port is > 0 and <= 65535, nameof(o.Port), $"must be a TCP port (1-65535), not {o.Port}.");
        errors.Require(o.HttpPort is > 0 and <= 65535, nameof(o.HttpPort), $"must be a TCP port (1-65535), not {o.HttpPort}.");
        errors.Require(o.Port != o.HttpPort, nameof(o.HttpPort), "must differ from Box:Port.");
        errors.Add(Dandelion.Shared.Hosting.TlsCertificates.Check(o.Tls, "Box:Tls"));
        errors.Require(IPAddress.TryParse(o.ListenAddress, out _), nameof(o.ListenAddress), $"must be an IP address, not '{o.ListenAddress}'.");
        errors.Require(o.PublicHttpUrl is null || Uri.TryCreate(o.PublicHttpUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https",
            nameof(o.PublicHttpUrl), "must be an absolute http(s) URL.");
        errors.Require(o.Heartbeat >= TimeSpan.FromMilliseconds(100) && o.Heartbeat <= TimeSpan.FromMinutes(10), nameof(o.Heartbeat),
            $"must be between 00:00:00.1 and 00:10:00 (hh:mm:ss), not {o.Heartbeat}.");
        errors.Require(o.StorageQuota > 0, nameof(o.StorageQuota), "must be a positive number of bytes.");
        errors.Require(o.MaxFileSize > 0 && o.MaxFileSize <= o.StorageQuota, nameof(o.MaxFileSize), "must be positive and at most Box:StorageQuota.");
        errors.Require(o.MaxTtl > TimeSpan.Zero && o.MaxTtl <= BoxOptions.LongestMaxTtl, nameof(o.MaxTtl), "must be positive and at most 365 days.");
        // Every file expires: a TTL of 0 or none means this default, so it cannot be 0 itself.
        errors.Require(o.DefaultTtl > TimeSpan.Zero && o.DefaultTtl <= o.MaxTtl, nameof(o.DefaultTtl), "must be positive and at most Box:MaxTtl.");
        errors.Require(o.SweepInterval >= TimeSpan.FromMilliseconds(10) && o.SweepInterval <= TimeSpan.FromHours(1), nameof(o.SweepInterval),
            "must be between 00:00:00.01 and 01:00:00.");
        errors.Require(o.UploadRateWindow >= TimeSpan.FromSeconds(1) && o.UploadRateWindow <= TimeSpan.FromMinutes(2), nameof(o.UploadRateWindow),
            "must be between 00:00:01 and 00:02:00.");
        errors.Require(o.UploadCeiling == 0 || o.UploadCeiling >= BoxOptions.MinimumUploadCeiling, nameof(o.UploadCeiling),
            $"must be 0 (no ceiling) or at least {BoxOptions.MinimumUploadCeiling} bytes per second, not {o.UploadCeiling}.");
        errors.Require(o.KeepDiskFree is >= 0 and <= 0.9, nameof(o.KeepDiskFree), $"must be a share between 0 and 0.9, not {o.KeepDiskFree}.");
        foreach (var window in o.QuietHours)
        {
            errors.Require(QuietWindow.TryParse(window, out _), nameof(o.QuietHours),
                $"entry '{window}' must be HH:mm-HH:mm, two different times of day (e.g. 23:00-07:00).");
        }
        errors.Require(o.AccessLogFormat is "combined" or "original", nameof(o.AccessLogFormat), $"must be 'combined' or 'original', not '{o.AccessLogFormat}'.");
        errors.Require(o.AccessLogMaxSize == 0 || o.AccessLogMaxSize >= 4096, nameof(o.AccessLogMaxSize), "must be 0 (never) or at least 4096 bytes.");
        errors.Require(o.OutboxLimit > 0, nameof(o.OutboxLimit), "must be positive.");
        errors.Require(o.ReconnectMaxDelay >= TimeSpan.FromMilliseconds(100) && o.ReconnectMaxDelay <= TimeSpan.FromHours(1), nameof(o.ReconnectMaxDelay),
            "must be between 00:00:00.1 and 01:00:00.");
        errors.Require(o.AdvertisedEntranceTtl > TimeSpan.Zero, nameof(o.AdvertisedEntranceTtl), "must be positive.");
        errors.Require(o.MaxHeaderBytes is >= 256 and <= 1 << 20, nameof(o.MaxHeaderBytes), "must be between 256 and 1048576.");
        errors.Require(o.MaxTextMessageBytes is >= 4096 and <= 64 << 20, nameof(o.MaxTextMessageBytes), "must be between 4096 and 67108864.");
        errors.Require(o.MaxConnectionsPerAddress >= 1, nameof(o.MaxConnectionsPerAddress), "must be at least 1.");
        errors.Require(o.FirstMessageTimeout >= TimeSpan.FromMilliseconds(100) && o.FirstMessageTimeout <= TimeSpan.FromMinutes(10),
            nameof(o.FirstMessageTimeout), "must be between 00:00:00.1 and 00:10:00.");
        errors.Require(o.IdleTimeout >= TimeSpan.FromSeconds(1) && o.IdleTimeout <= TimeSpan.FromDays(1), nameof(o.IdleTimeout),
            "must be between 00:00:01 and 1.00:00:00.");
        foreach (var entrance in o.Entrances)
        {
            // The original's http(s):// form of an entrance's URL names the same socket.
            errors.Require(Dandelion.Shared.Protocol.EntranceUrl.WebSocketForm(entrance) is not null,
                nameof(o.Entrances), $"entry '{entrance}' must be a ws://, wss://, http:// or https:// URL.");
        }

        errors.Require(o.Name is null || o.Name.Trim().Length is > 0 and <= 64 && !o.Name.Any(char.IsControl), nameof(o.Name),
            "must be 1 to 64 printable characters.");
        if (o.Location is { } at)
        {
            // Both coordinates or neither: one alone would stand the box on the equator or the meridian.
            // Neither needs a city, which the entrance looks up in its gazetteer.
            errors.Require(at.Latitude is null && at.Longitude is null ? !string.IsNullOrWhiteSpace(at.City) : at.Latitude is >= -85.05112878 and <= 85.05112878,
                "Location:Latitude", at.Latitude is not null ? "must be within ±85.05."
                : at.Longitude is not null ? "must be set with Longitude (both coordinates or neither)."
                : "must be set (with Longitude), or Location:City given for the entrance to look up.");
            errors.Require(at.Longitude is null ? at.Latitude is null : at.Longitude is >= -180 and <= 180, "Location:Longitude",
                at.Longitude is null ? "must be set with Latitude (both coordinates or neither)." : "must be within ±180.");
            errors.Require(at.City is null || at.City.Length <= 64 && !at.City.Any(char.IsControl), "Location:City", "must be at most 64 printable characters.");
            errors.Require(at.Country is null || at.Country.Length == 2 && at.Country.All(char.IsAsciiLetter), "Location:Country", "must be a two-letter ISO code.");
        }
        errors.Add(o.Telemetry.Problems(BoxOptions.Section));
        errors.Add(Dandelion.Shared.Hosting.ViewerOrigins.Problems(o.AllowedOrigins, $"{BoxOptions.Section}:{nameof(o.AllowedOrigins)}"));
    }
}
