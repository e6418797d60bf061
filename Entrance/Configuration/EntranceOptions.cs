namespace Dandelion.Entrance.Configuration;

/// <summary>The <c>Entrance</c> configuration section. Every key has a default.</summary>
internal sealed class EntranceOptions
{
    public const string Section = "Entrance";

    /// <summary>Keeps <c>entrance.id</c> (and the grant key unless placed elsewhere). Default <c>./data/entrance</c>.</summary>
    public string DataDirectory { get; set; } = "./data/entrance";

    /// <summary>The WebSocket URL this entrance advertises; default built from the request's host: <c>ws://{host}/dandelion/ws/</c>.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>
    /// Other entrances' WebSocket URLs, handed to boxes in <c>ENTRANCE_URLS</c>: <c>ws(s)://</c> or
    /// the original's <c>http(s)://</c> form, either way (each peer hears the form it takes).
    /// </summary>
    public List<string> Peers { get; set; } = [];

    /// <summary>StackExchange.Redis configuration string. Default <c>localhost:6379</c>.</summary>
    public string Redis { get; set; } = "localhost:6379";

    /// <summary>First part of every Redis key, so several deployments (or tests) share one Redis. Default <c>dandelion</c>.</summary>
    public string KeyPrefix { get; set; } = "dandelion";

    /// <summary>The heartbeat boxes are told to keep. Default 5 s, as the original's example config.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Silence after which a box is forgotten. Default three heartbeats.</summary>
    public TimeSpan? Expiry { get; set; }

    /// <summary>
    /// A stored box whose fingerprint and score parts did not change is still rewritten this often,
    /// so the figures it shows in BOX_SET and the dashboard (load, files, SEQ) are at most this old. Default 1 min.
    /// </summary>
    public TimeSpan RecordRefresh { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// On a Redis master with replicas, traffic is acknowledged to a box only once counted this long
    /// ago, so a failover to a replica never loses an acknowledged entry (replication is asynchronous).
    /// 0 acknowledges at once everywhere. Default 1 s.
    /// </summary>
    public TimeSpan ReplicationGrace { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Silence after which a box speaking version 1 is forgotten. Default 120 s, as the original:
    /// a version 1 reply cannot tell a box its heartbeat, and original boxes are set up for this.
    /// </summary>
    public TimeSpan Version1Expiry { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>How often expired boxes are swept from the indexes. Default one heartbeat.</summary>
    public TimeSpan? SweepInterval { get; set; }

    /// <summary>Largest text message accepted. Default 64 KiB.</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Open WebSockets allowed at once from one client address. Default 32 (households behind one NAT).</summary>
    public int MaxConnectionsPerAddress { get; set; } = 32;

    /// <summary>A new WebSocket must have sent its first whole message within this. Default 30 s (as Kestrel gives request headers).</summary>
    public TimeSpan FirstMessageTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A WebSocket that sends nothing for this long is closed (a box session sends every heartbeat). Default 2 min.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Largest <c>SIZE</c> one traffic entry may claim, bytes: no box serves more in one response
    /// than the largest file it may hold (a box's quota, 1 GiB by default). An entry outside
    /// 0..this is refused: not counted, its ID still consumed. Default 1 GiB.
    /// </summary>
    public long MaxTrafficSize { get; set; } = 1L << 30;

    /// <summary>
    /// Bearer token the operator API (<c>/api</c>) and the dashboard's data want, at least 16
    /// characters. Default: the one in <c>{DataDirectory}/operator.key</c>, made and printed once
    /// to the log at first start.
    /// </summary>
    public string? OperatorKey { get; set; }

    /// <summary>
    /// TLS (docs/DEPLOYMENT.md): <c>Entrance:Tls:Certificate</c> (and <c>Key</c>) is served on the
    /// entrance's <c>https://</c> URLs (<c>--urls</c>, <c>ASPNETCORE_HTTPS_PORTS</c>). The entrance
    /// connects to no peer, so <c>CaBundle</c> stays empty. Default none: plain HTTP.
    /// </summary>
    public Dandelion.Shared.Hosting.TlsOptions Tls { get; set; } = new();

    public SearchOptions Search { get; set; } = new();
    public GeoIpOptions GeoIp { get; set; } = new();
    public AuthOptions Auth { get; set; } = new();
    public Dandelion.Shared.Telemetry.TelemetryOptions Telemetry { get; set; } = new();

    public TimeSpan EffectiveExpiry => Expiry ?? 3 * Heartbeat;

    public TimeSpan EffectiveSweepInterval => SweepInterval ?? Heartbeat;
}
