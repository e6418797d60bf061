using Dandelion.Box;
using Dandelion.Box.Diagnostics;
using Dandelion.Box.Node;
using Dandelion.Box.Publishing;
using Dandelion.Box.Serving;
using Dandelion.Shared.Auth;
using Dandelion.Shared.Identity;
using Dandelion.Shared.Telemetry;

HealthProbe.ExitIfRequested(args, "Box:Port", 8080);
EnrolCommand.ExitIfRequested(args, "Box", NodeRole.Box, "./data/box");
var builder = WebApplication.CreateSlimBuilder(args);
builder.AddDandelionDefaults(args);
builder.AddDandelionTelemetry(BoxOptions.Section, BoxMetrics.MeterName);
builder.Host.UseSystemd();
builder.AddBoxNode();
builder.Services.AddMachine();
builder.Services.AddFiles();
builder.Services.AddPublishing();
builder.Services.AddHousehold();
builder.Services.AddServing();
builder.Services.AddTraffic();
builder.Services.AddEntrances();

return builder.BuildAndRunOrRefuse(static app =>
{
    app.UseFileServing();
    app.UseWebSockets();
    app.MapDandelionHealth();
    app.MapDandelionTelemetry();
    app.MapBoxNode();
    app.MapPublishing();
});

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
