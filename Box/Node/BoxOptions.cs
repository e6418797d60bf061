namespace Dandelion.Box.Node;

/// <summary>
/// The <c>Box</c> configuration section. Every key has a default, so a box starts with no
/// file; paths left empty are derived from <see cref="DataDirectory"/> at start.
/// Durations are <c>hh:mm:ss</c> strings in YAML (a bare number would be read as days).
/// </summary>
internal sealed class BoxOptions
{
    public const string Section = "Box";

    /// <summary>The lowest <see cref="UploadCeiling"/>: less would starve a single stream's viewers.</summary>
    public const long MinimumUploadCeiling = 16 * 1024;

    /// <summary>
    /// The box's name as operators and viewers see it (run-local, dashboard, player), up to 64
    /// printable characters. Default: the machine's host name.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>Where the owner says the box is. Default not stated: GeoIP alone places it.</summary>
    public BoxLocationOptions? Location { get; set; }

    /// <summary>Identity (<c>box.id</c>), expiry journal, traffic outbox. Default <c>./data/box</c>.</summary>
    public string DataDirectory { get; set; } = "./data/box";

    /// <summary>Where files are kept. Default <c>{DataDirectory}/files</c>.</summary>
    public string? StorageDirectory { get; set; }

    /// <summary>Entrance WebSocket URLs, e.g. <c>ws://127.0.0.1:8000/dandelion/ws/</c>. Never dropped.</summary>
    public List<string> Entrances { get; set; } = [];

    /// <summary>Address advertised to entrances and publishers. Default: first non-loopback IPv4, else 127.0.0.1.</summary>
    public string? PublicHost { get; set; }

    /// <summary>Local address both ports bind to. Default all IPv4 interfaces.</summary>
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>WebSocket and control port. Default 8080.</summary>
    public int Port { get; set; } = 8080;

    /// <summary>Port viewers fetch files from. Default 8081.</summary>
    public int HttpPort { get; set; } = 8081;

    /// <summary>
    /// TLS (docs/DEPLOYMENT.md): with <c>Box:Tls:Certificate</c> both ports serve HTTPS/WSS only and
    /// the box advertises <c>https://</c> URLs; <c>Box:Tls:CaBundle</c> is trusted for <c>wss://</c>
    /// entrances besides the system's roots. Default neither.
    /// </summary>
    public Dandelion.Shared.Hosting.TlsOptions Tls { get; set; } = new();

    /// <summary>Base URL of files as viewers see it, when something (nginx) fronts the box. Default <c>http(s)://{PublicHost}:{HttpPort}/</c> (https with <c>Box:Tls</c>).</summary>
    public string? PublicHttpUrl { get; set; }

    /// <summary>
    /// Web pages (origins) that may read files from the file port (CORS). Empty or <c>*</c> (the
    /// default): any page. A list must include <c>null</c> for players embedded on a page of
    /// another origin than the publisher's: a browser following the publisher's redirect sends
    /// <c>Origin: null</c>. Others get no CORS headers.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>Time between EXCHANGEs. Default 5 s.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Bytes the files may take. Default 1 GiB.</summary>
    public long StorageQuota { get; set; } = 1L << 30;

    /// <summary>Largest file accepted. Default 64 MiB.</summary>
    public long MaxFileSize { get; set; } = 64L << 20;

    /// <summary>The longest <see cref="MaxTtl"/> allowed.</summary>
    public static readonly TimeSpan LongestMaxTtl = TimeSpan.FromSeconds(FileFrame.LongestTtlSeconds);

    /// <summary>Largest TTL accepted (a longer one is refused). Default 1 day; at most 365 days.</summary>
    public TimeSpan MaxTtl { get; set; } = TimeSpan.FromDays(1);

    /// <summary>TTL of a file whose header gives none or 0. Default 60 s, as the original; positive, at most <see cref="MaxTtl"/>.</summary>
    public TimeSpan DefaultTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often expired files are deleted. Default 1 s (an expired file is 404 at once regardless).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Upload bytes per second the household allows viewers, shared by every response the box
    /// serves at once, and reported to entrances as its bandwidth ceiling. 0 (default): no ceiling;
    /// else at least <see cref="MinimumUploadCeiling"/>.
    /// </summary>
    public long UploadCeiling { get; set; }

    /// <summary>
    /// The sliding window the upload rate reported in each EXCHANGE (<c>BANDWIDTH-USED</c>) is
    /// averaged over: bytes counted as they are sent, in whole seconds up to now. Default 10 s
    /// (a viewer fetches a segment in a burst every few seconds); at most 2 min.
    /// </summary>
    public TimeSpan UploadRateWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Share of the storage volume (0 to 0.9) the box leaves free for the household: a file is
    /// refused when storing it would leave less, whatever <see cref="StorageQuota"/> allows. Default 0.1.
    /// </summary>
    public double KeepDiskFree { get; set; } = 0.1;

    /// <summary>
    /// Hours of the device's local day when the box drains (takes no new files and tells entrances
    /// so) and after which it returns: <c>HH:mm-HH:mm</c> each, e.g. <c>23:00-07:00</c>. Default none.
    /// </summary>
    public List<string> QuietHours { get; set; } = [];

    /// <summary>Access log the box writes and the traffic collector reads. Default <c>{DataDirectory}/access.log</c>.</summary>
    public string? AccessLog { get; set; }

    /// <summary><c>combined</c> (default) or <c>original</c>: the format the box writes. The collector reads both.</summary>
    public string AccessLogFormat { get; set; } = "combined";

    /// <summary>When false, the box does not write the access log itself (nginx in front writes it). Default true.</summary>
    public bool WriteAccessLog { get; set; } = true;

    /// <summary>
    /// When the box writes the access log itself, it renames it to <c>{AccessLog}.1</c> (replacing
    /// the previous one) once it passes this many bytes, so months unattended never fill the disk;
    /// 0 leaves rotation to the operator (logrotate). Default 16 MiB.
    /// </summary>
    public long AccessLogMaxSize { get; set; } = 16L << 20;

    /// <summary>Traffic entries kept while no entrance acknowledges them; the oldest go first. Default 100000.</summary>
    public int OutboxLimit { get; set; } = 100_000;

    /// <summary>This box's TOKEN for entrances with auth on. Default: the one kept in <c>{DataDirectory}/box.token</c> by <c>enrol</c>.</summary>
    public string? Token { get; set; }

    /// <summary>Longest wait between attempts to reach an entrance (jittered exponential backoff from 1 s). Default 30 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An advertised entrance unreachable this long is dropped (configured ones never). Default 10 min.</summary>
    public TimeSpan AdvertisedEntranceTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Refuse version 1 publishers (which cannot show a grant) once an entrance gave a grant key.
    /// Default true; false is the owner's choice to take any original publisher's files.
    /// </summary>
    public bool RequireGrant { get; set; } = true;

    /// <summary>Largest file-frame header. Default 16 KiB.</summary>
    public int MaxHeaderBytes { get; set; } = Dandelion.Shared.Protocol.FileFrame.DefaultMaxHeaderBytes;

    /// <summary>Largest text message accepted from publishers and entrances. Default 1 MiB.</summary>
    public int MaxTextMessageBytes { get; set; } = 1 << 20;

    /// <summary>Publisher WebSockets allowed open at once from one address. Default 16.</summary>
    public int MaxConnectionsPerAddress { get; set; } = 16;

    /// <summary>A publisher WebSocket must have sent its whole PUBLISH within this. Default 30 s.</summary>
    public TimeSpan FirstMessageTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A publisher WebSocket that sends nothing for this long is closed (the publisher opens a new one when it has files). Default 10 min.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Logs and metrics export (<c>Box:Telemetry:*</c>, docs/OPERATIONS.md).</summary>
    public Dandelion.Shared.Telemetry.TelemetryOptions Telemetry { get; set; } = new();

    // Filled in at start from the values above (BoxOptionsSetup).
    public string StoragePath => StorageDirectory!;
    public string AccessLogPath => AccessLog!;
    public string IncomingPath => Path.Combine(StoragePath, ".incoming");
}
