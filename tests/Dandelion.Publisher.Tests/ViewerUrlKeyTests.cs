using System.Security.Cryptography;
using System.Web;
using Dandelion.Publisher.Configuration;
using Dandelion.Shared.Auth;

namespace Dandelion.Publisher.Tests;

/// <summary>
/// A copy's signed URL is signed once and then taken from a cache (no HMAC per holder per
/// redirect): it must be the very URL a fresh signature gives, a box must accept it, a copy
/// with another expiry must get its own, and the cache must stay bounded.
/// </summary>
public sealed class ViewerUrlKeyTests
{
    private const string Publisher = "publisher-00112233445566778899aabbccddeeff";
    private readonly byte[] _secret = RandomNumberGenerator.GetBytes(ViewerUrl.KeyBytes);
    private static readonly DateTimeOffset Expiry = DateTimeOffset.UtcNow.AddHours(1);

    private static (string E, string S) Query(string url)
    {
        var query = HttpUtility.ParseQueryString(new Uri(url).Query);
        return (query["e"]!, query["s"]!);
    }

    [Fact]
    public void A_cached_copy_url_is_the_one_a_fresh_signature_gives_and_a_box_accepts_it()
    {
        var key = new ViewerUrlKey(_secret);
        const string url = "http://10.0.0.5:8081/" + Publisher + "/live/seg-1.ts";

        var first = key.SignCopy(url, Publisher, "/live/seg-1.ts", Expiry);
        var again = key.SignCopy(url, Publisher, "/live/seg-1.ts", Expiry);

        Assert.Equal(key.Sign(url, Publisher, "/live/seg-1.ts", Expiry + ViewerUrlKey.ClockSlack), first);
        Assert.Equal(first, again);
        var (e, s) = Query(again);
        Assert.True(ViewerUrl.Verify(_secret, Publisher, "/live/seg-1.ts", e, s, DateTimeOffset.UtcNow));
        // Signed for its own path only.
        Assert.False(ViewerUrl.Verify(_secret, Publisher, "/live/seg-2.ts", e, s, DateTimeOffset.UtcNow));
    }

    [Fact]
    public void A_renewed_copy_another_path_or_another_key_gets_its_own_signature()
    {
        var key = new ViewerUrlKey(_secret);
        const string url = "http://10.0.0.5:8081/" + Publisher + "/live/seg-1.ts";
        var signed = key.SignCopy(url, Publisher, "/live/seg-1.ts", Expiry);

        var renewed = key.SignCopy(url, Publisher, "/live/seg-1.ts", Expiry.AddMinutes(10));
        Assert.NotEqual(signed, renewed);
        Assert.Equal(Expiry.AddMinutes(10).Add(ViewerUrlKey.ClockSlack).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), Query(renewed).E);
        Assert.NotEqual(signed, key.SignCopy(url, Publisher, "/live/seg-9.ts", Expiry));
        Assert.NotEqual(signed, new ViewerUrlKey(RandomNumberGenerator.GetBytes(ViewerUrl.KeyBytes)).SignCopy(url, Publisher, "/live/seg-1.ts", Expiry));
    }

    [Fact]
    public void The_cache_of_signed_urls_stays_bounded_and_still_signs_right_past_its_bound()
    {
        var key = new ViewerUrlKey(_secret);
        string last = "";
        for (var n = 0; n <= ViewerUrlKey.CachedUrls + 10; n++)
        {
            last = key.SignCopy($"http://10.0.0.5:8081/{Publisher}/live/seg-{n}.ts", Publisher, $"/live/seg-{n}.ts", Expiry);
            Assert.True(key.CachedCount <= ViewerUrlKey.CachedUrls);
        }
        var (e, s) = Query(last);
        Assert.True(ViewerUrl.Verify(_secret, Publisher, $"/live/seg-{ViewerUrlKey.CachedUrls + 10}.ts", e, s, DateTimeOffset.UtcNow));
    }
}
