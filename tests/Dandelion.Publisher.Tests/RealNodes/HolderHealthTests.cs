using System.Net;
using Dandelion.Publisher.Media;
using System.Net.Http.Json;

namespace Dandelion.Publisher.Tests.RealNodes;

/// <summary>
/// Viewers are never sent to a box that does not answer or no longer holds the file: real box
/// processes purged through the entrance, or frozen with
/// SIGSTOP (a hung device: sockets open, nothing answered) and thawed again. The entrance
/// keeps boxes a minute here, so what takes the frozen box out is the publisher's own check,
/// not SEARCH forgetting it.
/// </summary>
public sealed class HolderHealthTests : IAsyncLifetime
{
    private Cluster _cluster = null!;
    private PublisherHost _publisher = null!;

    public async Task InitializeAsync()
    {
        _cluster = await Cluster.StartAsync(boxes: 3, expiry: "00:01:00");
        _publisher = await _cluster.StartPublisherAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var box in _cluster.Boxes)
            box.Process.Thaw();
        await _publisher.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    private int OpenSessions() =>
        ((Boxes.BoxPool)_publisher.Services.GetService(typeof(Boxes.BoxPool))!).OpenSessions.Count();

    private async Task<string> RedirectAsync(string path)
    {
        using var response = await _publisher.Viewer.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.ToString();
    }

    private async Task<IReadOnlyList<string>> HoldersAsync(string path) =>
        (await _publisher.Viewer.GetFromJsonAsync<MediaHolders>(path + "?json=1"))!.Holders.Select(h => h.Box).ToList();

    [Fact]
    public async Task A_frozen_box_gets_no_more_viewers_and_gets_them_again_once_it_answers()
    {
        var path = _publisher.WriteFile("frozen/a.bin", 100_000);
        await _publisher.Publisher.PublishAsync(path, TimeSpan.FromSeconds(300), default);
        var status = await Eventually.Until(() => Task.FromResult(_publisher.Publisher.GetStatus("/pub/frozen/a.bin") is { Holders.Count: 2 } s ? s : null), "two holders");
        var victim = _cluster.Boxes.Single(b => b.Id == status.Holders[0].Box);
        var other = _cluster.Boxes.Single(b => b.Id == status.Holders[1].Box);

        victim.Process.Freeze();
        await Eventually.Until(async () => !(await HoldersAsync("media/pub/frozen/a.bin")).Contains(victim.Id), "the frozen box to leave the holders");
        // Out of every answer from then on: each redirect goes to the box that answers.
        for (var i = 0; i < 20; i++)
            Assert.StartsWith(other.HttpUrl, await RedirectAsync("media/pub/frozen/a.bin"));

        victim.Process.Thaw();
        await Eventually.Until(async () => (await HoldersAsync("media/pub/frozen/a.bin")).Contains(victim.Id), "the thawed box to be a holder again");
        // It was sent fewer viewers than the other, so it is first again: viewers do go to it.
        await Eventually.Until(async () => (await RedirectAsync("media/pub/frozen/a.bin")).StartsWith(victim.HttpUrl, StringComparison.Ordinal),
            "a redirect to the thawed box");
        Assert.Equal(3, OpenSessions());
    }

    [Fact]
    public async Task A_file_purged_from_a_box_is_no_longer_redirected_to_it()
    {
        var path = _publisher.WriteFile("purged/a.bin", 80_000);
        var bytes = await File.ReadAllBytesAsync(path);
        await _publisher.Publisher.PublishAsync(path, TimeSpan.FromSeconds(300), default);
        var status = await Eventually.Until(() => Task.FromResult(_publisher.Publisher.GetStatus("/pub/purged/a.bin") is { Holders.Count: 2 } s ? s : null), "two holders");
        var victim = _cluster.Boxes.Single(b => b.Id == status.Holders[0].Box);

        // The operator purges this publisher's files from one holder, through the entrance (PURGE on the box's session).
        using (var api = _cluster.OperatorApi())
            (await api.PostAsync($"api/boxes/{victim.Id}/purge?publisher={_publisher.Id}", null)).EnsureSuccessStatusCode();
        await Eventually.Until(() => !File.Exists(Path.Combine(victim.DataDirectory, "files", _publisher.Id, "pub", "purged", "a.bin")), "the purge to reach the box");

        // From then on every viewer gets the file: the publisher learnt the box lost it (REMOVED),
        // and sends viewers there only if it places the file on it again.
        using var plain = new HttpClient();
        await Eventually.Until(async () =>
        {
            // By the URL a viewer is given (signed: docs/PUBLISHER.md, Signed viewer URLs).
            foreach (var holder in (await _publisher.Viewer.GetFromJsonAsync<MediaHolders>("media/pub/purged/a.bin?json=1"))!.Holders)
            {
                var url = holder.Url;
                using var response = url is null ? null : await plain.GetAsync(url);
                if (response is not { IsSuccessStatusCode: true })
                    return false;
            }
            return true;
        }, "every holder to have the file");
        for (var i = 0; i < 12; i++)
        {
            using var response = await plain.GetAsync(await RedirectAsync("media/pub/purged/a.bin"));
            Assert.True(response.IsSuccessStatusCode, $"redirect {i} led to {response.StatusCode} at {response.RequestMessage!.RequestUri}");
            Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task With_every_holder_frozen_the_origin_serves_the_file()
    {
        var path = _publisher.WriteFile("frozen/b.bin", 50_000);
        await _publisher.Publisher.PublishAsync(path, TimeSpan.FromSeconds(300), default);
        var status = await Eventually.Until(() => Task.FromResult(_publisher.Publisher.GetStatus("/pub/frozen/b.bin") is { Holders.Count: 2 } s ? s : null), "two holders");
        foreach (var holder in status.Holders)
            _cluster.Boxes.Single(b => b.Id == holder.Box).Process.Freeze();

        await Eventually.Until(async () =>
        {
            using var response = await _publisher.Viewer.GetAsync("media/pub/frozen/b.bin");
            return response.StatusCode == HttpStatusCode.OK;
        }, "the origin to serve the file");
        Assert.Equal(await File.ReadAllBytesAsync(path), await _publisher.Viewer.GetByteArrayAsync("media/pub/frozen/b.bin"));
    }
}
