using Dandelion.Shared.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddDandelionDefaults(args);

var app = builder.Build();
app.MapDandelionHealth();
app.Run();
