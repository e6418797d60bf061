using Dandelion.Entrance.Auth;
using Dandelion.Entrance.Boxes;
using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Search;
using Dandelion.Entrance.Telemetry;
using Microsoft.Extensions.Options;

namespace Dandelion.Entrance.Sessions;

/// <summary>What every session uses, resolved once rather than per connection.</summary>
internal sealed class SessionServices(
    ExchangeHandler exchanges,
    SearchHandler searches,
    BoxRegistry registry,
    NodeAuthenticator authenticator,
    SessionDirectory directory,
    EntranceMetrics metrics,
    IOptions<EntranceOptions> options,
    TimeProvider timeProvider,
    ILogger<EntranceSession> logger)
{
    public ExchangeHandler Exchanges { get; } = exchanges;
    public SearchHandler Searches { get; } = searches;
    public BoxRegistry Registry { get; } = registry;
    public NodeAuthenticator Authenticator { get; } = authenticator;
    public SessionDirectory Directory { get; } = directory;
    public EntranceMetrics Metrics { get; } = metrics;
    public TimeProvider TimeProvider { get; } = timeProvider;
    public ILogger Logger { get; } = logger;
    public int MaxMessageBytes { get; } = options.Value.MaxMessageBytes;

    /// <summary>How long to wait for the peer's close frame after ours.</summary>
    public TimeSpan CloseTimeout { get; } = TimeSpan.FromSeconds(5);
}
