using System.Globalization;
using System.Net;
using Dandelion.Benchmark.Load;
using Dandelion.Entrance;
using Dandelion.Entrance.Boxes;
using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Peers;
using Dandelion.Entrance.Sessions;
using Dandelion.Shared.Hosting;

namespace Dandelion.Benchmark.Seeding;

/// <summary>
/// Registers many boxes fast, in exactly the form the entrance stores them: each is a version 1
/// EXCHANGE (as an original box sends, so it stays registered until its expiry without a
/// session) handed to the entrance's own parser and EXCHANGE handler, built from the entrance's
/// own service registrations, without the socket. Redis sees what a real EXCHANGE writes, with
/// hundreds in flight on one pipelined connection. This file is the benchmark's only tie to the
/// entrance's internals: if the EXCHANGE path changes shape, this is what follows it.
/// </summary>
internal sealed class EntranceSeeder : IAsyncDisposable
{
    private const int InFlight = 256;
    private readonly WebApplication _app;
    private readonly ExchangeHandler _handler;
    private readonly EntranceSelf _self;

    private EntranceSeeder(WebApplication app)
    {
        _app = app;
        _handler = app.Services.GetRequiredService<ExchangeHandler>();
        _self = EntranceSelf.For(app.Services.GetRequiredService<EntranceIdentity>().Id, null, [], "127.0.0.1");
    }

    /// <summary>The measured entrance's settings that shape what an EXCHANGE writes, for <see cref="Create"/>.</summary>
    public static Dictionary<string, string> Settings(string redis, string keyPrefix, TimeSpan heartbeat, TimeSpan expiry, string geoIpDatabase) => new()
    {
        ["Entrance:Redis"] = redis + ",syncTimeout=60000,asyncTimeout=60000",
        ["Entrance:KeyPrefix"] = keyPrefix,
        ["Entrance:Heartbeat"] = heartbeat.ToString("c", CultureInfo.InvariantCulture),
        ["Entrance:Expiry"] = expiry.ToString("c", CultureInfo.InvariantCulture),
        // The seeded boxes are version 1 ones: they live as long as the scenario's version 2 boxes.
        ["Entrance:Version1Expiry"] = expiry.ToString("c", CultureInfo.InvariantCulture),
        ["Entrance:IdleTimeout"] = (heartbeat * 3).ToString("c", CultureInfo.InvariantCulture),
        ["Entrance:GeoIp:CityDatabase"] = geoIpDatabase,
    };

    /// <param name="settings">The entrance's configuration (<c>Entrance:Redis</c>, <c>Entrance:KeyPrefix</c>, expiry, GeoIP database), as the measured entrance has it.</param>
    public static EntranceSeeder Create(IReadOnlyDictionary<string, string> settings, string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        string[] args = [.. settings.Select(s => $"--{s.Key}={s.Value}"), $"--Entrance:DataDirectory={dataDirectory}", "--Logging:LogLevel:Default=Warning"];
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = dataDirectory });
        builder.AddDandelionDefaults(args);
        builder.AddEntranceOptions();
        builder.AddRedisStore();
        builder.AddGeoIp();
        builder.AddBoxes();
        // The handler's authenticator closes revoked ids' sessions: it needs the session directory.
        builder.AddSessions();
        // Built, never started: no sweeper or relay runs here, only the handler is used.
        return new EntranceSeeder(builder.Build());
    }

    /// <summary>Registers boxes <c>first … first + count − 1</c>, box n reporting address <c>ips[n % ips.Length]</c>.</summary>
    public async Task RegisterAsync(long first, int count, IReadOnlyList<string> ips, CancellationToken cancellationToken)
    {
        long next = first - 1;
        var end = first + count;
        var failed = 0;
        await Task.WhenAll(Enumerable.Range(0, InFlight).Select(async slot =>
        {
            long n;
            while ((n = Interlocked.Increment(ref next)) < end)
            {
                var message = BoxMessages.Exchange(BoxMessages.BoxId(n), ips[(int)(n % ips.Count)], sequence: null);
                if (!InboundParser.TryParse(message, out var parsed, out var error, out _))
                    throw new InvalidOperationException("The entrance refused the benchmark's EXCHANGE: " + error!.Message);
                using (parsed)
                {
                    var (_, refused) = await _handler.HandleAsync(parsed!, IPAddress.Loopback, _self, version: 1, sessionField: null, viaProxy: false, cancellationToken);
                    if (refused is not null && Interlocked.Increment(ref failed) > 100)
                        throw new InvalidOperationException("The entrance's EXCHANGE handler refused boxes: " + refused.Message);
                }
            }
        }));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
