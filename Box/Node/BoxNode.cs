using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography;
using Dandelion.Shared.Auth;
using Dandelion.Shared.Connections;
using Dandelion.Shared.Identity;

namespace Dandelion.Box.Node;

/// <summary>
/// Who this box is and what it tells others: its id, advertised address and URLs, whether
/// it is draining, and the grant key entrances gave it.
/// </summary>
internal sealed class BoxNode
{
    private readonly object _gate = new();
    private string? _grantKeyText;
    private ECDsa? _grantKey;
    private volatile bool _draining;
    private volatile bool _quiet;
    private volatile bool _heardEntrance;
    private readonly bool _expectsEntrance;
    private readonly string _grantKeyFile;

    private readonly CancellationToken _stopping;

    public BoxNode(IOptions<BoxOptions> options, IHostApplicationLifetime lifetime)
    {
        _stopping = lifetime.ApplicationStopping;
        var o = options.Value;
        Id = NodeIdentity.LoadOrCreate(o.DataDirectory, NodeRole.Box);
        Ip = string.IsNullOrWhiteSpace(o.PublicHost) ? FirstPublicIPv4() : o.PublicHost.Trim();
        Port = o.Port.ToString(CultureInfo.InvariantCulture);
        var host = Ip.Contains(':', StringComparison.Ordinal) && !Ip.StartsWith('[') ? $"[{Ip}]" : Ip;
        // http(s)://, not ws(s)://: an original publisher accepts only http(s) URLs here and
        // turns them into WebSocket URLs itself; ours does the same.
        var scheme = o.Tls.Serves ? "https" : "http";
        ConnectWs = $"{scheme}://{host}:{o.Port}/dandelion/{Id}/ws/";
        var http = o.PublicHttpUrl ?? $"{scheme}://{host}:{o.HttpPort}/";
        HttpUrl = http.EndsWith('/') ? http : http + "/";
        Name = string.IsNullOrWhiteSpace(o.Name) ? Environment.MachineName : o.Name.Trim();
        Stamp = new NodeStamp(Id, NodeTypes.Box, Ip, Port);
        _expectsEntrance = o.Entrances.Count > 0;
        // The key an entrance gave before a restart holds until an entrance gives another:
        // a restarted box never takes an ungranted file while it reconnects.
        _grantKeyFile = Path.Combine(o.DataDirectory, "grant-key.pub");
        if (File.Exists(_grantKeyFile))
            SetGrantKey(File.ReadAllText(_grantKeyFile).Trim(), persist: false);
    }

    /// <summary>What operators and viewers call this box (<c>Box:Name</c>, default the host name).</summary>
    public string Name { get; }

    public string Id { get; }
    public string Ip { get; }
    public string Port { get; }

    /// <summary>This box's identity as every message it sends carries it.</summary>
    public NodeStamp Stamp { get; }

    /// <summary>Where publishers open the file channel, in the http:// form the original expects.</summary>
    public string ConnectWs { get; }

    /// <summary>Base URL of stored files, ending in <c>/</c>.</summary>
    public string HttpUrl { get; }

    /// <summary>
    /// True while an entrance's DRAIN holds (set here, until RESUME clears it) or while the
    /// owner's quiet hours last (<see cref="Quiet"/>): either way the box takes no new files.
    /// </summary>
    public bool Draining
    {
        get => _draining || _quiet;
        set => _draining = value;
    }

    /// <summary>Inside the owner's quiet hours (<see cref="BoxOptions.QuietHours"/>).</summary>
    public bool Quiet
    {
        get => _quiet;
        set => _quiet = value;
    }

    /// <summary>
    /// The box is stopping: it takes no new file from the moment the stop is asked for, before
    /// any connection hears of it (the connections close on the same signal).
    /// </summary>
    public bool Leaving => _stopping.IsCancellationRequested;

    public string State => Draining ? "DRAINING" : "ACTIVE";

    /// <summary>The key grants are checked with; null while no entrance gave one.</summary>
    public ECDsa? GrantKey
    {
        get
        {
            lock (_gate)
                return _grantKey;
        }
    }

    /// <summary>
    /// True while the box has entrances to hear from but has heard none and knows no grant key:
    /// it cannot yet tell a granted publisher from anyone, so it takes no file.
    /// </summary>
    public bool AwaitingEntrance => _expectsEntrance && !_heardEntrance && GrantKey is null;

    /// <summary>An entrance answered: from now on a missing grant key means auth is off there.</summary>
    public void MarkEntranceHeard() => _heardEntrance = true;

    /// <summary>Keeps the key an entrance sent, when it is new and valid; returns true when it changed.</summary>
    public bool SetGrantKey(string? base64) => SetGrantKey(base64, persist: true);

    private bool SetGrantKey(string? base64, bool persist)
    {
        if (string.IsNullOrEmpty(base64))
            return false;
        lock (_gate)
        {
            if (base64 == _grantKeyText)
                return false;
            var key = PublishGrant.ImportPublicKey(base64);
            if (key is null)
                return false;
            // The old key is not disposed: a session may be verifying with it right now.
            _grantKey = key;
            _grantKeyText = base64;
            if (persist)
                Persist(base64);
            return true;
        }
    }

    private void Persist(string base64)
    {
        var temporary = _grantKeyFile + ".tmp";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_grantKeyFile))!);
        File.WriteAllText(temporary, base64);
        File.Move(temporary, _grantKeyFile, overwrite: true);
    }

    public string FileUrl(string publisherId, string relativePath) => $"{HttpUrl}{publisherId}/{relativePath}";

    private static string FirstPublicIPv4()
    {
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
                    continue;
                foreach (var address in nic.GetIPProperties().UnicastAddresses)
                {
                    if (address.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(address.Address))
                        return address.Address.ToString();
                }
            }
        }
        catch (NetworkInformationException)
        {
            // No interface list on this system: fall back to loopback.
        }
        return "127.0.0.1";
    }
}
