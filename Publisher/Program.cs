using Dandelion.Publisher.Api;
using Dandelion.Publisher.Configuration;
using Dandelion.Publisher.Integrity;
using Dandelion.Publisher.Live;
using Dandelion.Publisher.Media;
using Dandelion.Publisher.Placement;
using Dandelion.Publisher.Player;
using Dandelion.Shared.Auth;
using Dandelion.Shared.Identity;
using Dandelion.Shared.Telemetry;

HealthProbe.ExitIfRequested(args, "Publisher:Port", 8090);
EnrolCommand.ExitIfRequested(args, "Publisher", NodeRole.Publisher, "./data/publisher");

// The publisher: finds boxes through entrances, places files on them, and sends viewers
// to the box that holds what they ask for (docs/PUBLISHER.md).
var builder = WebApplication.CreateBuilder(args);
builder.AddDandelionDefaults(args);
builder.AddDandelionTelemetry(PublisherOptions.Section, PlacementMetrics.MeterName);
builder.AddPublisherCore();
builder.AddPlacement();
builder.AddMedia();
builder.AddLive();
builder.AddIntegrity();
builder.AddPublisherApi();

var app = builder.Build();
app.UsePlayer();
app.UseCors();
app.MapDandelionHealth();
app.MapDandelionTelemetry();
app.MapPlayer();
app.MapMedia();
app.MapLive();
app.MapIntegrity();
app.MapPublisherApi();
return app.RunOrRefuse();

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
