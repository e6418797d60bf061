using System.Text;
using Dandelion.Entrance.Tests.Support;
using Dandelion.Testing;

namespace Dandelion.Entrance.Tests.Integration;

/// <summary>
/// The entrance's telemetry leaves the process: a real entrance, configured as an operator
/// would (<c>Entrance:Telemetry:OtlpEndpoint</c>, <c>OtlpProtocol</c>), pushes its metrics
/// traces and logs to a collector's receiving end on loopback after real EXCHANGEs and a SEARCH.
/// </summary>
public sealed class OtlpExportTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Theory]
    // The default protocol: gRPC over cleartext HTTP/2 to the collector's port 4317.
    [InlineData("grpc", "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export", "/opentelemetry.proto.collector.trace.v1.TraceService/Export", "/opentelemetry.proto.collector.logs.v1.LogsService/Export", "application/grpc")]
    // OTLP/HTTP: the endpoint is the base URL; the exporter adds each signal's path.
    [InlineData("http/protobuf", "/v1/metrics", "/v1/traces", "/v1/logs", "application/x-protobuf")]
    public async Task Metrics_traces_and_logs_reach_an_otlp_collector(string protocol, string metricsPath, string tracesPath, string logsPath, string contentType)
    {
        await using var collector = await OtlpReceiver.StartAsync(grpc: protocol == "grpc");
        // A process of its own, configured through its environment as an operator would: the
        // telemetry settings are read while the host is built, before a WebApplicationFactory's
        // in-memory settings would be seen.
        await using var app = await NodeProcess.StartEntranceAsync(redis.ConnectionString, RedisFixture.NewPrefix(), new Dictionary<string, string>
        {
            ["Entrance:Telemetry:OtlpEndpoint"] = collector.Endpoint.ToString(),
            ["Entrance:Telemetry:OtlpProtocol"] = protocol,
            // The SDK's own settings, read from the program's configuration like any other: export
            // often, so the test need not wait the default minute (metrics) or 5 s (spans).
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["Logging:LogLevel:Default"] = "Information",
        });

        var boxId = Messages.NewBoxId();
        var publisherId = Messages.NewPublisherId();
        await using (var box = await Peer.ConnectAsync(app.WebSocket))
        {
            await box.SendAsync(Messages.V2Exchange(boxId, 1));
            await box.ReceiveAsync();
            await box.SendAsync(Messages.V2Exchange(boxId, 2));
            await box.ReceiveAsync();
        }
        await using (var publisher = await Peer.ConnectAsync(app.WebSocket))
        {
            await publisher.SendAsync(Messages.V2Search(publisherId));
            await publisher.ReceiveAsync();
        }

        // Metrics are cumulative: one export after the traffic carries all of them. The
        // receiver is this test's alone, so whatever reaches it came from this entrance.
        var metrics = await Eventually.MatchAsync(
            () => Task.FromResult(collector.Received.LastOrDefault(r => r.Path == metricsPath && Contains(r.Body, "dandelion.entrance.searches"))),
            r => r is not null, $"a metrics export to {metricsPath} holding the SEARCH counter");
        Assert.Equal(contentType, metrics!.ContentType);
        foreach (var name in new[]
        {
            "dandelion-entrance", // service.name
            "Dandelion.Entrance", // the meter, as the instrumentation scope
            "dandelion.entrance.exchanges",
            "dandelion.entrance.exchange.duration",
            "dandelion.entrance.searches",
            "dandelion.entrance.search.duration",
            "dandelion.entrance.sessions",
            "http.server.request.duration", // ASP.NET Core's
            "dotnet.gc.collections", // the runtime's
        })
        {
            Assert.True(Contains(metrics.Body, name), $"the metrics export names {name}");
        }

        // Spans are batched: the EXCHANGEs and the SEARCH may come in separate exports.
        await Eventually.MatchAsync(
            () => Task.FromResult(Exports(collector, tracesPath)),
            t => Contains(t, "EXCHANGE") && Contains(t, boxId) && Contains(t, "SEARCH") && Contains(t, publisherId),
            $"trace exports to {tracesPath} holding this test's EXCHANGE and SEARCH");
        Assert.All(collector.Received.Where(r => r.Path == tracesPath), r => Assert.Equal(contentType, r.ContentType));

        // Logs go the same way: the line for the box leaving (Information, one per state change).
        await Eventually.MatchAsync(
            () => Task.FromResult(Exports(collector, logsPath)),
            l => Contains(l, "left") && Contains(l, boxId),
            $"log exports to {logsPath} holding this test's box leaving");
        Assert.All(collector.Received.Where(r => r.Path == logsPath), r => Assert.Equal(contentType, r.ContentType));
    }

    private static byte[] Exports(OtlpReceiver collector, string path) =>
        collector.Received.Where(r => r.Path == path).SelectMany(r => r.Body).ToArray();

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
