using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using Dandelion.Box.Node;
using Dandelion.Shared.Auth;

namespace Dandelion.Box.Tests;

/// <summary>
/// Issue 9, viewer URLs signed by the publisher: a box that took a publisher's URL key (over a
/// PUBLISH whose grant names it) serves that publisher's files only for a URL the publisher signed,
/// until it expires; anything else is 403 with nothing served.
/// </summary>
public sealed class SignedUrlTests : IAsyncLifetime
{
    private const string Publisher = TestPublisher.DefaultId;
    private const string FilePath = "/live/seg-1.ts";
    private readonly ECDsa _entranceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly byte[] _urlKey = RandomNumberGenerator.GetBytes(ViewerUrl.KeyBytes);
    private readonly byte[] _data = RandomNumberGenerator.GetBytes(100_000);
    private string _directory = null!;
    private BoxHost _box = null!;

    public Task InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("dandelion-box-").FullName;
        _box = Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _box.DisposeAsync();
        _entranceKey.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private BoxHost Start()
    {
        var box = BoxHost.Start(_directory);
        // As from an entrance's EXCHANGE reply (kept in the data directory: after a restart it is already known).
        box.Service<BoxNode>().SetGrantKey(PublishGrant.ExportPublicKey(_entranceKey));
        Assert.NotNull(box.Service<BoxNode>().GrantKey);
        return box;
    }

    private string Grant(byte[]? urlKey) =>
        PublishGrant.Issue(_entranceKey, Publisher, _box.Id, DateTimeOffset.UtcNow.AddMinutes(5), urlKey is null ? null : ViewerUrl.Fingerprint(urlKey));

    /// <summary>Publishes <see cref="FilePath"/> as a publisher whose SEARCH named <paramref name="vouched"/>, sending <paramref name="sent"/>.</summary>
    private async Task<string?> PublishAsync(byte[]? vouched, byte[]? sent)
    {
        var (publisher, reply) = await TestPublisher.ConnectAsync(_box, 2, grant: Grant(vouched), urlKey: sent is null ? null : Base64Url.EncodeToString(sent));
        using (publisher)
        {
            if (reply.TryGetProperty("CODE", out var refused))
                return refused.GetString();
            Assert.Equal("ACCEPTED", reply.GetProperty("MESSAGE").GetString());
            var stored = await publisher.PutAsync(TestPublisher.Version2Frame(FilePath, 60, _data));
            Assert.Equal("STORED", stored.GetProperty("COMMAND").GetString());
            return null;
        }
    }

    private static string Signed(byte[] key, string filePath, DateTimeOffset expires, string publisher = Publisher) =>
        ViewerUrl.Sign(key, $"{Publisher}{FilePath}", publisher, filePath, expires);

    private async Task<(HttpStatusCode Status, byte[] Body)> GetAsync(string url)
    {
        using var response = await _box.Http.GetAsync(url);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Files_are_served_only_for_the_publishers_unexpired_signature_of_that_path()
    {
        Assert.Null(await PublishAsync(_urlKey, _urlKey));
        var later = DateTimeOffset.UtcNow.AddMinutes(2);

        var good = await GetAsync(Signed(_urlKey, FilePath, later));
        Assert.Equal(HttpStatusCode.OK, good.Status);
        Assert.Equal(_data, good.Body);

        var expiry = later.ToUnixTimeSeconds();
        string[] refused =
        [
            $"{Publisher}{FilePath}",                                                            // unsigned
            Signed(_urlKey, "/live/seg-2.ts", later),                                            // tampered path: signed for another file
            Signed(_urlKey, FilePath, later).Replace($"e={expiry}", $"e={expiry + 3600}"),       // tampered expiry
            Signed(_urlKey, FilePath, DateTimeOffset.UtcNow.AddSeconds(-5)),                     // expired
            Signed(RandomNumberGenerator.GetBytes(32), FilePath, later),                         // another key (another publisher's)
            Signed(_urlKey, FilePath, later, "publisher-ffeeddccbbaa99887766554433221100"),      // signed as another publisher
            Signed(_urlKey, FilePath, later).Replace("&s=", "&s=A"),                             // a signature of the wrong length
            Signed(_urlKey, FilePath, later) + "&e=1",                                           // the expiry twice
        ];
        foreach (var url in refused)
        {
            var (status, body) = await GetAsync(url);
            Assert.True(status == HttpStatusCode.Forbidden, $"{url}: {status}");
            Assert.Empty(body);
        }

        // The publishers' health probe (HEAD /) is answered as before.
        using var probe = await _box.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));
        Assert.Equal(HttpStatusCode.NotFound, probe.StatusCode);
    }

    [Fact]
    public async Task A_box_takes_only_the_key_the_grant_names_and_keeps_it_across_a_restart()
    {
        // The grant names one key: another, or none, does not open the channel.
        Assert.Equal("unauthorized", await PublishAsync(_urlKey, RandomNumberGenerator.GetBytes(32)));
        Assert.Equal("unauthorized", await PublishAsync(_urlKey, null));

        Assert.Null(await PublishAsync(_urlKey, _urlKey));
        await _box.DisposeAsync();
        _box = Start();

        var later = DateTimeOffset.UtcNow.AddMinutes(2);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync($"{Publisher}{FilePath}")).Status);
        Assert.Equal(_data, (await GetAsync(Signed(_urlKey, FilePath, later))).Body);
    }

    [Fact]
    public async Task A_publisher_whose_grant_names_no_key_is_served_unsigned()
    {
        // As a version 1 publisher where the owner opts in, or one whose entrance vouched for no key.
        Assert.Null(await PublishAsync(null, _urlKey));

        var (status, body) = await GetAsync($"{Publisher}{FilePath}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(_data, body);
    }
}
