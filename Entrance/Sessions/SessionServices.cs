using Dandelion.Entrance.Auth;
using Dandelion.Entrance.Boxes;
using Dandelion.Entrance.Peers;
using Dandelion.Entrance.Search;
using Dandelion.Entrance.Telemetry;

namespace Dandelion.Entrance.Sessions;

/// <summary>What every connection uses, resolved once rather than per connection.</summary>
internal sealed class SessionServices(
    ExchangeHandler exchanges,
    SearchHandler searches,
    BoxRegistry registry,
    NodeAuthenticator authenticator,
    SessionDirectory directory,
    EntranceMetrics metrics,
    TimeProvider timeProvider,
    ILogger<BoxHandler> logger)
{
    public ExchangeHandler Exchanges { get; } = exchanges;
    public SearchHandler Searches { get; } = searches;
    public BoxRegistry Registry { get; } = registry;
    public NodeAuthenticator Authenticator { get; } = authenticator;
    public SessionDirectory Directory { get; } = directory;
    public EntranceMetrics Metrics { get; } = metrics;
    public TimeProvider TimeProvider { get; } = timeProvider;
    public ILogger Logger { get; } = logger;
}
