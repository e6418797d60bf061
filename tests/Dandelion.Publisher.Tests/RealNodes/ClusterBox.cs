namespace Dandelion.Publisher.Tests.RealNodes;

/// <summary>One real box process: its WebSocket port, the port it serves files on, its data directory.</summary>
internal sealed class ClusterBox(NodeProcess process, int port, int httpPort, string dataDirectory)
{
    public NodeProcess Process { get; } = process;
    public int Port { get; } = port;
    public int HttpPort { get; } = httpPort;
    public string DataDirectory { get; } = dataDirectory;
    public string Id { get; set; } = "";
    public string HttpUrl => $"http://127.0.0.1:{HttpPort}/";
}
