namespace Dandelion.LocalNetwork;

/// <summary>What <see cref="Network"/> starts. The defaults are what <c>./scripts/run-local.sh</c> runs.</summary>
public sealed class LocalNetworkOptions
{
    /// <summary>The checkout: the apps' build output and <c>data/geoip/</c> (scripts/setup.sh) are found there.</summary>
    public string RepositoryRoot { get; init; } = Repository.FindRoot();

    /// <summary>Data and logs of every process. Default <c>{RepositoryRoot}/.run/{UTC time}/</c>.</summary>
    public string? RunDirectory { get; init; }

    /// <summary>Build configuration whose output is run. Default: the one this assembly was built in.</summary>
    public string Configuration { get; init; } = Repository.OwnConfiguration();

    /// <summary>Boxes started, each with its own storage and ports. Default 3.</summary>
    public int Boxes { get; init; } = 3;

    /// <summary>Boxes' heartbeat and the entrance's. Default 1 s, so a joining box shows at once.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Silence after which the entrance forgets a box. Default 3 s.</summary>
    public TimeSpan Expiry { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>HLS segment length ffmpeg cuts. Default 2 s.</summary>
    public int SegmentSeconds { get; init; } = 2;

    /// <summary>
    /// Renditions ffmpeg encodes (1-3). With more than one, <c>{name}.m3u8</c> is a master playlist
    /// listing <c>{name}_{i}.m3u8</c>, best first: 640x360 at 800 kbit/s, 426x240 at 400, 256x144 at 150.
    /// Default 1; <c>./scripts/run-local.sh</c> runs 3.
    /// </summary>
    public int Renditions { get; init; } = 1;

    /// <summary>The stream's name: ffmpeg writes <c>{name}.m3u8</c>, viewers play <c>/live/{name}.m3u8</c>. Default <c>stream</c>.</summary>
    public string StreamName { get; init; } = "stream";

    /// <summary>Storage each box may use. Default 256 MiB.</summary>
    public long BoxStorageQuota { get; init; } = 256L << 20;

    /// <summary>Told each step of the start (a process started, a process answering). Default none.</summary>
    public IProgress<string>? Progress { get; init; }

    /// <summary>How long each process may take to answer after it starts; generous, for a loaded machine. Default 2 min.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
