using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dandelion.Entrance.Tests.Support;

/// <summary>One OTLP request as it reached <see cref="OtlpReceiver"/>.</summary>
public sealed record OtlpRequest(string Path, string? ContentType, byte[] Body);

/// <summary>
/// The receiving end of an OpenTelemetry collector on a free loopback port (Kestrel): it
/// records every POST and acknowledges it as a collector does, in OTLP/HTTP (an empty
/// protobuf answer) or OTLP/gRPC (an empty message and <c>grpc-status: 0</c>, over
/// cleartext HTTP/2). It does not decode: protobuf keeps strings as UTF-8 bytes, so a
/// metric's or span's name is found by searching the body.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private const int MaxBody = 16 * 1024 * 1024;

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<OtlpRequest> _received;

    private OtlpReceiver(WebApplication app, ConcurrentQueue<OtlpRequest> received, Uri endpoint)
    {
        _app = app;
        _received = received;
        Endpoint = endpoint;
    }

    /// <summary>The URL to give an exporter: base URL for OTLP/HTTP, the server for gRPC.</summary>
    public Uri Endpoint { get; }

    public IReadOnlyCollection<OtlpRequest> Received => _received.ToArray();

    /// <param name="grpc">Speak cleartext HTTP/2 (gRPC) rather than HTTP/1.1.</param>
    public static async Task<OtlpReceiver> StartAsync(bool grpc)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = MaxBody;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = grpc ? HttpProtocols.Http2 : HttpProtocols.Http1);
        });
        var app = builder.Build();
        var received = new ConcurrentQueue<OtlpRequest>();
        app.MapPost("/{**path}", async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            received.Enqueue(new OtlpRequest(context.Request.Path.Value ?? "", context.Request.ContentType, body.ToArray()));
            await AcknowledgeAsync(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new OtlpReceiver(app, received, new Uri(address.Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1")));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static async Task AcknowledgeAsync(HttpContext context)
    {
        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
        {
            // A gRPC reply: one length-prefixed message (uncompressed, length 0: an empty
            // Export*ServiceResponse), then the status as a trailer.
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(new byte[5]);
            context.Response.AppendTrailer("grpc-status", "0");
            return;
        }
        context.Response.ContentType = "application/x-protobuf";
    }
}
