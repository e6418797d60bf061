namespace Dandelion.Publisher.Tests.RealNodes;

/// <summary>One real box process: its WebSocket port, the port it serves files on, its data directory.</summary>
internal sealed class ClusterBox(NodeProcess process, int port, int httpPort, string dataDirectory, string scheme = "http")
{
    /// <summary><c>https</c> when the box serves TLS.</summary>
    public string Scheme { get; } = scheme;
    public NodeProcess Process { get; } = process;
    public int Port { get; } = port;
    public int HttpPort { get; } = httpPort;
    public string DataDirectory { get; } = dataDirectory;
    public string Id { get; set; } = "";
    public string HttpUrl => $"{Scheme}://127.0.0.1:{HttpPort}/";
}
