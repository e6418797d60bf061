using Dandelion.Entrance.Auth;
using Dandelion.Entrance.Boxes;
using Dandelion.Entrance.Peers;
using Dandelion.Entrance.Search;
using Dandelion.Entrance.Telemetry;

namespace Dandelion.Entrance.Sessions;

/// <summary>What every connection uses, resolved once rather than per connection.</summary>
internal sealed record SessionServices(ExchangeHandler Exchanges, SearchHandler Searches, BoxRegistry Registry, NodeAuthenticator Authenticator,
    SessionDirectory Directory, EntranceMetrics Metrics, TimeProvider TimeProvider, ILogger<BoxHandler> Logger);
