using Dandelion.Entrance;
using Dandelion.Entrance.Auth;
using Dandelion.Entrance.Dashboard;
using Dandelion.Entrance.Operators;
using Dandelion.Entrance.Sessions;
using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Telemetry;
using Dandelion.Shared.Telemetry;

HealthProbe.ExitIfRequested(args);
if (CredentialCommand.IsRequested(args))
    return CredentialCommand.Run(args);

var builder = WebApplication.CreateBuilder(args);
builder.AddDandelionDefaults(args);
builder.AddDandelionTelemetry(EntranceOptions.Section, EntranceMetrics.MeterName);
builder.AddEntranceOptions();
builder.AddRedisStore();
builder.AddGeoIp();
builder.AddBoxes();
builder.AddSearch();
builder.AddSessions();
builder.AddOperatorApi();

var app = builder.Build();
app.UseDashboard();
app.UseEntranceWebSockets();
app.MapSessions();
app.MapOperatorApi();
app.MapCredentialApi();
app.MapDashboard();
app.MapDandelionHealth();
app.MapDandelionTelemetry();
return app.RunOrRefuse();

/// <summary>Visible to the tests' <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
