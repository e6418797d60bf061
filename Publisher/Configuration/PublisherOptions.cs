namespace Dandelion.Publisher.Configuration;

/// <summary>The <c>Publisher</c> configuration section. Every key has a default.</summary>
internal sealed class PublisherOptions
{
    public const string Section = "Publisher";

    /// <summary>The name operators see on the entrance's dashboard (sent in SEARCH). Default: the host name.</summary>
    public string? Name { get; set; }

    /// <summary>Where <c>publisher.id</c> is kept. Default <c>./data/publisher</c>.</summary>
    public string DataDirectory { get; set; } = "./data/publisher";

    /// <summary>Entrance WebSocket URLs, e.g. <c>ws://entrance:8080/dandelion/ws/</c>. Default none.</summary>
    public List<string> Entrances { get; set; } = [];

    /// <summary>This publisher's TOKEN for entrances with auth on (docs/PROTOCOL.md, Authentication). Default: the one kept in <c>{DataDirectory}/publisher.token</c> by <c>enrol</c>.</summary>
    public string? Token { get; set; }

    /// <summary>The address put in <c>IP</c> of every message (the original sends its own). Default <c>127.0.0.1</c>.</summary>
    public string Ip { get; set; } = "127.0.0.1";

    /// <summary>HTTP port for viewers and the API. Default 8090.</summary>
    public int Port { get; set; } = 8090;

    /// <summary>
    /// When empty (the default) <c>/api</c> answers only requests from loopback; when set,
    /// requests from anywhere that carry it in <c>X-Api-Key</c>.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Web pages (origins) that may play this publisher's streams: CORS on <c>/live/</c> and
    /// <c>/media/</c>. Empty or <c>*</c> (the default): any page; else a list such as
    /// <c>https://caster.example</c>. Others get no CORS headers.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>Only files under these directories can be published or served. Default none.</summary>
    public List<string> PublishDirectories { get; set; } = [];

    /// <summary>Where ffmpeg writes HLS; watched for playlists. Published too. Default none (no live).</summary>
    public string? LiveDirectory { get; set; }

    /// <summary>Box sessions to keep open. Default 6.</summary>
    public int Boxes { get; set; } = 6;

    /// <summary>Boxes each file is placed on. Default 2.</summary>
    public int Replication { get; set; } = 2;

    /// <summary>Period of SEARCH. Default 10 s (the original's).</summary>
    public TimeSpan SearchInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>TTL of a file published without one. Default 120 s.</summary>
    public TimeSpan DefaultTtl { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Time one file may take to be sent to one box and answered. Default 10 s.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often each box viewers may be sent to is checked on its file port. Default 250 ms.</summary>
    public TimeSpan BoxCheckInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// A check not answered within this is missed; two missed in a row take the box out of
    /// redirects until it answers again. Default 450 ms: a frozen box is out within
    /// 2 × <see cref="BoxCheckInterval"/> + this, under a second.
    /// </summary>
    public TimeSpan BoxCheckTimeout { get; set; } = TimeSpan.FromMilliseconds(450);

    /// <summary>Files waiting for a box before new ones are refused. Default 10000.</summary>
    public int QueueLimit { get; set; } = 10000;

    /// <summary>How long a new playlist version waits for its new segments to be placed before it is served anyway (viewers then get them from the origin). Default 5 s.</summary>
    public TimeSpan LiveSegmentWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Rank boxes by distance to this point rather than to this publisher's address. Default none.</summary>
    public LocationOptions? Location { get; set; }

    public Dandelion.Shared.Telemetry.TelemetryOptions Telemetry { get; set; } = new();

    public GeoIpOptions GeoIp { get; set; } = new();

    public BoxTlsOptions BoxTls { get; set; } = new();

    /// <summary>
    /// TLS (docs/DEPLOYMENT.md): with <c>Publisher:Tls:Certificate</c> <see cref="Port"/> serves
    /// HTTPS only; <c>Publisher:Tls:CaBundle</c> is trusted for <c>wss://</c> entrances besides the
    /// system's roots (boxes: <see cref="BoxTls"/>). Default neither.
    /// </summary>
    public Dandelion.Shared.Hosting.TlsOptions Tls { get; set; } = new();
}
