using System.Net;
using System.Net.Http.Json;
using Dandelion.Publisher.Placement;
using Dandelion.Shared.Auth;
using Dandelion.Shared.Identity;

namespace Dandelion.Publisher.Tests.RealNodes;

/// <summary>A real entrance with auth on: the publisher's token opens SEARCH, and the grant it gets opens the boxes.</summary>
public sealed class AuthTests : IAsyncLifetime
{
    private const string Secret = "publisher-tests-secret";
    private Cluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await Cluster.StartAsync(boxes: 2, Secret);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task With_its_token_the_publisher_gets_a_grant_and_boxes_that_check_it_store_its_files()
    {
        await using var publisher = await StartPublisherAsync(token: id => NodeToken.Compute(Secret, id));
        var path = publisher.WriteFile("auth/a.bin", 10_000);
        await Eventually.Until(async () =>
        {
            await publisher.Publisher.PublishAsync(path, TimeSpan.FromSeconds(60), default);
            return (await publisher.StatusAsync("/pub/auth/a.bin"))!.Holders.Count == 2;
        }, "the file on both boxes");
        using var plain = new HttpClient();
        // By the URLs the API gives out: signed, as a viewer's (in-process state keeps them plain).
        foreach (var holder in (await publisher.StatusAsync("/pub/auth/a.bin"))!.Holders)
            Assert.Equal(await File.ReadAllBytesAsync(path), await plain.GetByteArrayAsync(holder.Url));

        // Viewer URLs are signed (issue 9): the redirect's URL plays; the same box URL unsigned, or
        // with its expiry moved, is refused by the box with nothing served.
        using var media = await publisher.Viewer.GetAsync("media/pub/auth/a.bin");
        Assert.Equal(HttpStatusCode.Redirect, media.StatusCode);
        var location = media.Headers.Location!.ToString();
        Assert.Contains("?e=", location);
        Assert.Equal(await File.ReadAllBytesAsync(path), await plain.GetByteArrayAsync(location));
        var expiry = System.Text.RegularExpressions.Regex.Match(location, "e=([0-9]+)").Groups[1].Value;
        foreach (var forged in new[] { Dandelion.Shared.Auth.ViewerUrl.Unsigned(location), location.Replace($"e={expiry}", $"e={long.Parse(expiry) + 86400}") })
        {
            using var refused = await plain.GetAsync(forged);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Empty(await refused.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task With_a_wrong_token_nothing_is_placed_the_state_says_so_and_the_origin_serves()
    {
        await using var publisher = await StartPublisherAsync(token: _ => "not-the-token");
        var path = publisher.WriteFile("auth/b.bin", 10_000);
        await publisher.Publisher.PublishAsync(path, TimeSpan.FromSeconds(60), default);

        // The entrance's refusal is what the waiting file's state gives as the reason.
        var status = await Eventually.Until(async () =>
            await publisher.StatusAsync("/pub/auth/b.bin") is { Error: { } error } s && error.Contains("unauthorized") ? s : null, "the refusal in the state");
        Assert.Equal(FileState.Queued, status.State);
        Assert.Empty(status.Holders);
        using var media = await publisher.Viewer.GetAsync("media/pub/auth/b.bin");
        Assert.Equal(HttpStatusCode.OK, media.StatusCode);
        Assert.Equal(await File.ReadAllBytesAsync(path), await media.Content.ReadAsByteArrayAsync());
        Assert.Empty((await publisher.Viewer.GetFromJsonAsync<List<Api.BoxView>>("api/boxes"))!);
    }

    private Task<PublisherHost> StartPublisherAsync(Func<string, string> token)
    {
        var data = Directory.CreateTempSubdirectory("dandelion-publisher-id-").FullName;
        var id = NodeIdentity.LoadOrCreate(data, NodeRole.Publisher);
        return PublisherHost.StartAsync([_cluster.EntranceUrl], new Dictionary<string, string?>
        {
            ["Publisher:DataDirectory"] = data,
            ["Publisher:Token"] = token(id),
            ["Publisher:Boxes"] = "2",
            ["Publisher:SearchInterval"] = "00:00:01",
        });
    }
}
