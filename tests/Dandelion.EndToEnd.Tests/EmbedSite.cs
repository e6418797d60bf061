using System.Net;
using System.Text;

namespace Dandelion.EndToEnd.Tests;

/// <summary>
/// A caster's own web site, on another origin than the publisher (its own loopback port): a
/// real HTTP server (<see cref="HttpListener"/>) serving the embed snippet of docs/PUBLISHER.md
/// as a caster would paste it, with stock hls.js (the copy scripts/setup.sh vendors) served
/// from this site instead of a CDN.
/// </summary>
internal sealed class EmbedSite : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly byte[] _page;
    private readonly byte[] _hls;
    private readonly Task _serving;

    private EmbedSite(int port, string page, byte[] hls)
    {
        Url = new Uri($"http://127.0.0.1:{port}/");
        _page = Encoding.UTF8.GetBytes(page);
        _hls = hls;
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _serving = ServeAsync();
    }

    public Uri Url { get; }

    /// <param name="playlist">The publisher's playlist URL, as the caster writes it into the snippet.</param>
    public static EmbedSite Start(string repositoryRoot, Uri playlist)
    {
        var snippet = Snippet(Path.Combine(repositoryRoot, "docs", "PUBLISHER.md"))
            .Replace("https://cdn.jsdelivr.net/npm/hls.js@1", "/hls.min.js", StringComparison.Ordinal)
            .Replace("https://publisher.example:8090/live/stream.m3u8", playlist.ToString(), StringComparison.Ordinal);
        var page = $"<!doctype html><html><head><meta charset=\"utf-8\"><title>A caster's page</title></head><body>\n{snippet}\n</body></html>";
        var hls = File.ReadAllBytes(Path.Combine(repositoryRoot, "Publisher", "wwwroot", "vendor", "hls.min.js"));
        return new EmbedSite(Dandelion.LocalNetwork.FreePort.Next(), page, hls);
    }

    /// <summary>The first <c>```html</c> block of the doc: the snippet itself, so the doc cannot drift from what is tested.</summary>
    private static string Snippet(string doc)
    {
        var text = File.ReadAllText(doc);
        var start = text.IndexOf("```html\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{doc} has no ```html embed snippet.");
        start += "```html\n".Length;
        var snippet = text[start..text.IndexOf("```", start, StringComparison.Ordinal)];
        Assert.Contains("https://publisher.example:8090/live/stream.m3u8", snippet);
        Assert.Contains("new Hls(", snippet);
        Assert.Contains("maxTimeToFirstByteMs", snippet);
        return snippet;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            var (body, type) = context.Request.Url!.AbsolutePath switch
            {
                "/" => (_page, "text/html; charset=utf-8"),
                "/hls.min.js" => (_hls, "text/javascript"),
                _ => ((byte[]?)null, ""),
            };
            using var response = context.Response;
            if (body is null)
            {
                response.StatusCode = 404;
                continue;
            }
            response.ContentType = type;
            response.ContentLength64 = body.Length;
            await response.OutputStream.WriteAsync(body);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}
