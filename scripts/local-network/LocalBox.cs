namespace Dandelion.LocalNetwork;

/// <summary>One box of the local network: its process, ports and data.</summary>
public sealed class LocalBox(string name, ChildProcess process, int port, int httpPort, string dataDirectory)
{
    public string Name { get; } = name;
    public ChildProcess Process { get; } = process;
    /// <summary>WebSocket and control port.</summary>
    public int Port { get; } = port;
    /// <summary>Port viewers fetch files from.</summary>
    public int HttpPort { get; } = httpPort;
    public string DataDirectory { get; } = dataDirectory;
    /// <summary>Its <c>box-…</c> id, read from <c>box.id</c> once it runs.</summary>
    public string Id { get; internal set; } = "";
    /// <summary>Host and port viewers fetch from, as a page sees it in a URL.</summary>
    public string HttpHost => $"127.0.0.1:{HttpPort}";
}
