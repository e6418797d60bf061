using System.Net;
using System.Net.Http.Headers;
using Dandelion.Entrance.Tests.Support;

namespace Dandelion.Entrance.Tests.Integration;

/// <summary>The operator API and the dashboard's data want the operator key: no one else reaches them.</summary>
public sealed class OperatorKeyTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    public static TheoryData<string, string> OperatorEndpoints => new()
    {
        { "GET", "/api/stats" },
        { "GET", "/api/boxes" },
        { "GET", "/api/boxes/gone" },
        { "GET", "/api/boxes/box-00112233445566778899aabbccddeeff" },
        { "POST", "/api/boxes/box-00112233445566778899aabbccddeeff/drain" },
        { "POST", "/api/boxes/box-00112233445566778899aabbccddeeff/resume" },
        { "POST", "/api/boxes/box-00112233445566778899aabbccddeeff/purge" },
        { "GET", "/api/network" },      // the dashboard's data
        { "GET", "/api/history" },
    };

    [Theory]
    [MemberData(nameof(OperatorEndpoints))]
    public async Task Every_operator_endpoint_refuses_a_caller_without_the_key_or_with_a_wrong_one(string method, string path)
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix());
        using var stranger = new HttpClient { BaseAddress = app.Http };
        foreach (var authorization in new AuthenticationHeaderValue?[]
        {
            null,                                                        // none
            new("Bearer", "wrong-operator-key-0123456789"),              // wrong key, same length
            new("Bearer", EntranceApp.OperatorKey + "x"),                // the key and more
            new("Basic", EntranceApp.OperatorKey),                       // the key in another scheme
            new("Bearer", EntranceApp.OperatorKey[..^1]),                // a prefix of it
        })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            request.Headers.Authorization = authorization;
            using var response = await stranger.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var keyed = new HttpRequestMessage(new HttpMethod(method), path);
        using var answered = await app.Client.SendAsync(keyed);      // sends the key
        Assert.NotEqual(HttpStatusCode.Unauthorized, answered.StatusCode);
        Assert.True((int)answered.StatusCode < 500, $"{method} {path}: {answered.StatusCode}");
    }

    [Fact]
    public async Task The_dashboard_page_is_served_without_data_and_the_health_routes_stay_open()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix());
        using var stranger = new HttpClient { BaseAddress = app.Http };
        using (var page = await stranger.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("operator-key", await page.Content.ReadAsStringAsync());
        }
        using var greeting = await stranger.GetAsync("/dandelion/");
        Assert.Equal(HttpStatusCode.OK, greeting.StatusCode);
    }

    [Fact]
    public async Task Without_a_configured_key_one_is_made_at_first_start_kept_and_used_again()
    {
        var data = Directory.CreateTempSubdirectory("dandelion-operator-").FullName;
        try
        {
            var settings = new Dictionary<string, string?> { ["Entrance:DataDirectory"] = data, ["Entrance:OperatorKey"] = null };
            string made;
            await using (var first = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix(), settings))
            {
                made = (await File.ReadAllTextAsync(Path.Combine(data, "operator.key"))).Trim();   // made at start, before any request
                Assert.True(made.Length >= 32);
                if (!OperatingSystem.IsWindows())
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, "operator.key")));
                Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(first, EntranceApp.OperatorKey));
                Assert.Equal(HttpStatusCode.OK, await StatusAsync(first, made));
            }
            await using var second = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix(), settings);
            Assert.Equal(made, (await File.ReadAllTextAsync(Path.Combine(data, "operator.key"))).Trim());
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(second, made));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(EntranceApp app, string key)
    {
        using var client = new HttpClient { BaseAddress = app.Http };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await client.GetAsync("/api/stats");
        return response.StatusCode;
    }
}
