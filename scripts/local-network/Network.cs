using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Dandelion.LocalNetwork;

/// <summary>
/// The whole network on this machine, on loopback: a Redis, one entrance, boxes (each with its
/// own storage and ports), one publisher, and ffmpeg writing a live test stream into the
/// publisher's live directory. Every process is a real one started from the apps' build
/// output; <see cref="DisposeAsync"/> stops them all. <c>./scripts/run-local.sh</c> and the
/// end-to-end test both use this type, so the test runs exactly what the command runs.
/// </summary>
public sealed class Network : IAsyncDisposable
{
    /// <summary>Where the boxes say they are, in turn: cities around the publisher (Amsterdam), one far off.</summary>
    private static readonly (string City, double Latitude, double Longitude)[] Places =
    [
        ("Berlin", 52.52, 13.405), ("Paris", 48.857, 2.352), ("Madrid", 40.417, -3.704), ("Warsaw", 52.23, 21.01), ("Montreal", 45.5, -73.57),
    ];

    private readonly LocalNetworkOptions _options;
    private readonly ProcessGroup _processes;
    private readonly List<LocalBox> _boxes = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private Network(LocalNetworkOptions options, string runDirectory)
    {
        _options = options;
        _processes = new ProcessGroup(runDirectory, options.StartTimeout);
    }

    public string RunDirectory => _processes.RunDirectory;
    public string LogDirectory => _processes.LogDirectory;
    public string LiveDirectory => Path.Combine(RunDirectory, "live");
    public string StreamName => _options.StreamName;
    public int SegmentSeconds => _options.SegmentSeconds;
    public TimeSpan Heartbeat => _options.Heartbeat;
    public TimeSpan Expiry => _options.Expiry;

    public ChildProcess Redis { get; private set; } = null!;
    public ChildProcess Entrance { get; private set; } = null!;
    public ChildProcess Publisher { get; private set; } = null!;
    public ChildProcess Ffmpeg { get; private set; } = null!;
    public IReadOnlyList<LocalBox> Boxes => _boxes;

    /// <summary>The entrance's HTTP root: the operator dashboard is here, the API under <c>api/</c>.</summary>
    public Uri EntranceUrl { get; private set; } = null!;
    /// <summary>The publisher's HTTP root: the player page is here, the API under <c>api/</c>.</summary>
    public Uri PublisherUrl { get; private set; } = null!;
    /// <summary>
    /// The dashboard, carrying the operator key in its fragment (<c>#key=…</c>): the page keeps it in
    /// the tab's sessionStorage; a fragment is never sent to the server.
    /// </summary>
    public Uri DashboardUrl => new(EntranceUrl, "#key=" + OperatorKey);

    /// <summary>The entrance's operator key, made for this run: the API and the dashboard's data want it.</summary>
    public string OperatorKey { get; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
    /// <summary>The player page; with 1 s segments it holds 3 segments behind the live edge (<c>sync=3</c>, docs/PUBLISHER.md).</summary>
    public Uri PlayerUrl => new(PublisherUrl, $"?stream={Uri.EscapeDataString(StreamName)}" + (SegmentSeconds == 1 ? "&sync=3" : ""));
    public Uri PlaylistUrl => new(PublisherUrl, $"live/{StreamName}.m3u8");

    /// <summary>
    /// Every process's Prometheus scrape endpoint (run-local turns them on), by the name a
    /// Prometheus job would give it: the entrance, each box (on its control port), the publisher.
    /// </summary>
    public IReadOnlyList<(string Job, Uri Url)> MetricsEndpoints =>
    [
        ("entrance", new Uri(EntranceUrl, "metrics")),
        .. _boxes.Select(b => ("box", new Uri($"http://127.0.0.1:{b.Port}/metrics"))),
        ("publisher", new Uri(PublisherUrl, "metrics")),
    ];

    /// <summary>Starts one more process (a Prometheus, say) that is stopped with the network.</summary>
    public Task<ChildProcess> StartProcessAsync(string name, string executable, IEnumerable<string> arguments) =>
        _processes.StartAsync(name, executable, arguments, Directory.CreateDirectory(Path.Combine(RunDirectory, name)).FullName);

    /// <summary>Starts every process and waits until each answers; ffmpeg is the last to start.</summary>
    public static async Task<Network> StartAsync(LocalNetworkOptions options, CancellationToken cancellationToken = default)
    {
        var root = options.RepositoryRoot;
        var run = options.RunDirectory ?? Path.Combine(root, ".run", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(run);
        var network = new Network(options, Path.GetFullPath(run));
        try
        {
            await network.StartAllAsync(cancellationToken);
            return network;
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    private async Task StartAllAsync(CancellationToken cancellationToken)
    {
        var root = _options.RepositoryRoot;
        var configuration = _options.Configuration;
        var geoIp = Repository.Require(Path.Combine(root, "data", "geoip", "GeoLite2-City.mmdb"), "run ./scripts/setup.sh");
        var entranceDll = Repository.AppDll(root, configuration, "Entrance");
        var boxDll = Repository.AppDll(root, configuration, "Box");
        var publisherDll = Repository.AppDll(root, configuration, "Publisher");
        var ffmpeg = ProcessGroup.FindExecutable("ffmpeg") ?? throw new InvalidOperationException("ffmpeg is not installed: run ./scripts/setup.sh.");
        Directory.CreateDirectory(LiveDirectory);
        var heartbeat = _options.Heartbeat.ToString("c", CultureInfo.InvariantCulture);

        // Redis: loopback only, nothing written to disk.
        (Redis, var redisPort) = await _processes.StartRedisAsync("redis", cancellationToken: cancellationToken);
        Report($"Redis up on 127.0.0.1:{redisPort}");

        var entrancePort = FreePort.Next();
        EntranceUrl = new Uri($"http://127.0.0.1:{entrancePort}/");
        var entranceWs = $"ws://127.0.0.1:{entrancePort}/dandelion/ws/";
        Entrance = await _processes.StartDotnetAsync("entrance", entranceDll, new()
        {
            ["urls"] = $"http://127.0.0.1:{entrancePort}",
            ["Entrance:Redis"] = $"127.0.0.1:{redisPort}",
            ["Entrance:KeyPrefix"] = "local",
            ["Entrance:DataDirectory"] = Path.Combine(RunDirectory, "entrance"),
            ["Entrance:OperatorKey"] = OperatorKey,
            ["Entrance:GeoIp:CityDatabase"] = geoIp,
            ["Entrance:Heartbeat"] = heartbeat,
            ["Entrance:Expiry"] = _options.Expiry.ToString("c", CultureInfo.InvariantCulture),
            // Every process serves /metrics, as an operator would scrape it (docs/OPERATIONS.md).
            ["Entrance:Telemetry:Prometheus"] = "true",
        });
        await _processes.WaitAsync(Entrance, () => _processes.AnswersAsync(new Uri(EntranceUrl, "dandelion/")), $"the entrance to answer on {EntranceUrl}", cancellationToken);
        Report($"entrance up on {EntranceUrl}");

        // The boxes start together; each is waited for afterwards.
        for (var i = 1; i <= _options.Boxes; i++)
        {
            var name = $"box{i}";
            var port = FreePort.Next();
            var httpPort = FreePort.Next();
            var data = Path.Combine(RunDirectory, name);
            await Enrolment.EnrolAsync(_http, EntranceUrl, OperatorKey, "box", data, cancellationToken);
            var process = await _processes.StartDotnetAsync(name, boxDll, new()
            {
                ["Box:DataDirectory"] = data,
                ["Box:ListenAddress"] = "127.0.0.1",
                ["Box:PublicHost"] = "127.0.0.1",
                ["Box:Port"] = port.ToString(CultureInfo.InvariantCulture),
                ["Box:HttpPort"] = httpPort.ToString(CultureInfo.InvariantCulture),
                ["Box:Heartbeat"] = heartbeat,
                ["Box:StorageQuota"] = _options.BoxStorageQuota.ToString(CultureInfo.InvariantCulture),
                ["Box:Entrances:0"] = entranceWs,
                ["Box:Telemetry:Prometheus"] = "true",
                // Named as this program names it, so run-local, the dashboard and the player agree;
                // placed by its owner's word, since GeoIP cannot place a loopback address.
                ["Box:Name"] = name,
                ["Box:Location:Latitude"] = Places[(i - 1) % Places.Length].Latitude.ToString(CultureInfo.InvariantCulture),
                ["Box:Location:Longitude"] = Places[(i - 1) % Places.Length].Longitude.ToString(CultureInfo.InvariantCulture),
                ["Box:Location:City"] = Places[(i - 1) % Places.Length].City,
            });
            _boxes.Add(new LocalBox(name, process, port, httpPort, data));
        }
        foreach (var box in _boxes)
        {
            await _processes.WaitAsync(box.Process, () => _processes.AnswersAsync(new Uri($"http://127.0.0.1:{box.Port}/alive")), $"{box.Name} to answer on port {box.Port}", cancellationToken);
            box.Id = (await File.ReadAllTextAsync(Path.Combine(box.DataDirectory, "box.id"), cancellationToken)).Trim();
            Report($"{box.Name} up ({box.Id}), serving files on {box.HttpHost}");
        }

        var publisherPort = FreePort.Next();
        PublisherUrl = new Uri($"http://127.0.0.1:{publisherPort}/");
        await Enrolment.EnrolAsync(_http, EntranceUrl, OperatorKey, "publisher", Path.Combine(RunDirectory, "publisher"), cancellationToken);
        Publisher = await _processes.StartDotnetAsync("publisher", publisherDll, new()
        {
            ["Publisher:DataDirectory"] = Path.Combine(RunDirectory, "publisher"),
            ["Publisher:Entrances:0"] = entranceWs,
            ["Publisher:Port"] = publisherPort.ToString(CultureInfo.InvariantCulture),
            ["Publisher:LiveDirectory"] = LiveDirectory,
            ["Publisher:Boxes"] = _options.Boxes.ToString(CultureInfo.InvariantCulture),
            ["Publisher:Replication"] = Math.Min(2, _options.Boxes).ToString(CultureInfo.InvariantCulture),
            // Boxes that join later are found within seconds, not the default ten.
            ["Publisher:SearchInterval"] = "00:00:02",
            // A loaded machine may take a while to place a segment; the viewer waits rather than
            // fetching it from the origin.
            ["Publisher:LiveSegmentWait"] = "00:00:08",
            ["Publisher:Telemetry:Prometheus"] = "true",
            ["Publisher:Name"] = "publisher",
            ["Publisher:Location:Lat"] = "52.37",
            ["Publisher:Location:Lon"] = "4.9",
        });
        await _processes.WaitAsync(Publisher, () => _processes.AnswersAsync(new Uri(PublisherUrl, "alive")), $"the publisher to answer on {PublisherUrl}", cancellationToken);
        Report($"publisher up on {PublisherUrl}");

        Ffmpeg = await _processes.StartAsync("ffmpeg", ffmpeg, FfmpegArguments(), LiveDirectory);
        Report($"ffmpeg streaming into {LiveDirectory}");
    }

    /// <summary>
    /// A live test picture (and tone) in real time, H.264 + AAC, cut into HLS segments of
    /// <see cref="LocalNetworkOptions.SegmentSeconds"/>, each starting with a key frame.
    /// </summary>
    private List<string> FfmpegArguments()
    {
        const int rate = 25;
        var gop = (rate * _options.SegmentSeconds).ToString(CultureInfo.InvariantCulture);
        if (_options.Renditions > 1)
            return RenditionArguments(rate, gop, Math.Min(3, _options.Renditions));
        return
        [
            "-hide_banner", "-loglevel", "warning", "-nostdin",
            "-re", "-f", "lavfi", "-i", $"testsrc2=size=640x360:rate={rate}",
            "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
            "-g", gop, "-keyint_min", gop, "-sc_threshold", "0",
            "-c:a", "aac", "-b:a", "64k",
            "-f", "hls", "-hls_time", _options.SegmentSeconds.ToString(CultureInfo.InvariantCulture), "-hls_list_size", "6",
            "-hls_flags", "delete_segments+temp_file",
            "-hls_segment_filename", Path.Combine(LiveDirectory, $"{_options.StreamName}-%05d.ts"),
            Path.Combine(LiveDirectory, $"{_options.StreamName}.m3u8"),
        ];
    }

    /// <summary>
    /// Adaptive bitrate: one picture scaled to each rendition, each with its own audio, encoded
    /// ultrafast (CI has two cores), cut at the same key frames, and a master playlist naming them.
    /// </summary>
    private List<string> RenditionArguments(int rate, string gop, int renditions)
    {
        (string Size, string Bitrate)[] ladder = [("640x360", "800k"), ("426x240", "400k"), ("256x144", "150k")];
        var split = string.Concat(Enumerable.Range(0, renditions).Select(i => $"[v{i}]"));
        var scales = string.Join(";", Enumerable.Range(0, renditions).Select(i => $"[v{i}]scale={ladder[i].Size.Replace('x', ':')}[out{i}]"));
        var arguments = new List<string>
        {
            "-hide_banner", "-loglevel", "warning", "-nostdin",
            "-re", "-f", "lavfi", "-i", $"testsrc2=size=640x360:rate={rate}",
            "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-filter_complex", $"[0:v]split={renditions}{split};{scales}",
        };
        for (var i = 0; i < renditions; i++)
            arguments.AddRange(["-map", $"[out{i}]", "-map", "1:a"]);
        for (var i = 0; i < renditions; i++)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            arguments.AddRange([$"-b:v:{n}", ladder[i].Bitrate, $"-maxrate:v:{n}", ladder[i].Bitrate, $"-bufsize:v:{n}", ladder[i].Bitrate]);
        }
        arguments.AddRange(
        [
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
            "-g", gop, "-keyint_min", gop, "-sc_threshold", "0",
            "-c:a", "aac", "-b:a", "64k",
            "-f", "hls", "-hls_time", _options.SegmentSeconds.ToString(CultureInfo.InvariantCulture), "-hls_list_size", "6",
            "-hls_flags", "delete_segments+temp_file+independent_segments",
            "-master_pl_name", $"{_options.StreamName}.m3u8",
            "-var_stream_map", string.Join(" ", Enumerable.Range(0, renditions).Select(i => $"v:{i},a:{i}")),
            "-hls_segment_filename", Path.Combine(LiveDirectory, $"{_options.StreamName}_%v-%05d.ts"),
            Path.Combine(LiveDirectory, $"{_options.StreamName}_%v.m3u8"),
        ]);
        return arguments;
    }

    /// <summary>
    /// Waits until every box is live at the entrance, and the publisher serves the stream's
    /// playlist with at least <paramref name="segments"/> segments placed on boxes.
    /// </summary>
    public async Task WaitUntilStreamingAsync(TimeSpan timeout, int segments = 1, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var last = "nothing yet";
        while (true)
        {
            ThrowIfAnyExited();
            try
            {
                var snapshot = await SnapshotAsync(deadline.Token);
                last = snapshot.ToString();
                if (snapshot.BoxesLive >= _boxes.Count && snapshot.PlaylistServed && snapshot.SegmentsPlaced >= segments)
                    return;
                await Task.Delay(500, deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The stream was not ready within {timeout}: {last}\n{Tails()}");
            }
        }
    }

    /// <summary>The figures the progress line shows, read from the entrance's and publisher's APIs.</summary>
    public async Task<NetworkSnapshot> SnapshotAsync(CancellationToken cancellationToken = default)
    {
        long boxesLive = -1;
        int placed = -1;
        var playlist = false;
        var stream = new StreamFigures(0, 0, 0, 0);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(EntranceUrl, "api/stats"));
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", OperatorKey);
            using var answer = await _http.SendAsync(request, cancellationToken);
            using var stats = await answer.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonDocument>(cancellationToken);
            boxesLive = stats!.RootElement.GetProperty("boxesLive").GetInt64();
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
        }
        try
        {
            using var files = await _http.GetFromJsonAsync<JsonDocument>(new Uri(PublisherUrl, "api/files"), cancellationToken);
            placed = files!.RootElement.EnumerateArray().Count(f =>
                f.GetProperty("path").GetString()!.EndsWith(".ts", StringComparison.Ordinal) &&
                f.GetProperty("holders").GetArrayLength() > 0);
            stream = await StreamFiguresAsync(cancellationToken);
            using var head = new HttpRequestMessage(HttpMethod.Head, PlaylistUrl);
            using var response = await _http.SendAsync(head, cancellationToken);
            playlist = response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
        }
        return new NetworkSnapshot(boxesLive, _boxes.Count(b => !b.Process.HasExited), placed, playlist, stream,
            _processes.Processes.Where(p => p.HasExited).Select(p => p.Name).ToList());
    }

    /// <summary>The publisher's offload counters for this stream (<c>GET /api/stats</c>).</summary>
    public async Task<StreamFigures> StreamFiguresAsync(CancellationToken cancellationToken = default)
    {
        using var stats = await _http.GetFromJsonAsync<JsonDocument>(new Uri(PublisherUrl, "api/stats"), cancellationToken);
        if (!stats!.RootElement.TryGetProperty(StreamName, out var figures))
            return new StreamFigures(0, 0, 0, 0);
        return new StreamFigures(
            figures.GetProperty("originRequests").GetInt64(), figures.GetProperty("originBytes").GetInt64(),
            figures.GetProperty("redirectRequests").GetInt64(), figures.GetProperty("redirectBytes").GetInt64(),
            figures.GetProperty("boxRequests").GetInt64(), figures.GetProperty("boxBytes").GetInt64(),
            figures.TryGetProperty("disagreement", out var note) && note.ValueKind == JsonValueKind.String ? note.GetString() : null);
    }

    /// <summary>The last lines each process wrote, for an error message.</summary>
    public string Tails(int lines = 15) => _processes.Tails(lines);

    /// <summary>Stops ffmpeg, the publisher, the boxes, the entrance and Redis, in that order, each with SIGTERM then SIGKILL.</summary>
    public async ValueTask DisposeAsync()
    {
        await _processes.DisposeAsync();
        _http.Dispose();
    }

    private void Report(string step) => _options.Progress?.Report(step);

    private void ThrowIfAnyExited()
    {
        // A box may be killed on purpose (the end-to-end test does); anything else gone is a failure.
        var gone = _processes.Processes.Where(p => p.HasExited && !_boxes.Any(b => b.Process == p)).ToList();
        if (gone.Count > 0)
            throw new InvalidOperationException($"{string.Join(", ", gone.Select(p => p.Name))} exited.\n{Tails()}");
    }
}
