using System.Text.Json;
using Dandelion.LocalNetwork;
using Microsoft.Playwright;

namespace Dandelion.EndToEnd.Tests;

/// <summary>The entrance's dashboard in the browser: what it draws for each box, and the charts' data.</summary>
internal sealed class DashboardPage(IPage page)
{
    public IPage Page { get; } = page;

    public async Task<bool> ShowsOnTheMapAsync(LocalBox box) =>
        await Page.Locator($"#map circle.box[data-box-id='{box.Id}']").CountAsync() == 1;

    public async Task<bool> ListsAsync(LocalBox box) =>
        await Page.Locator($"#boxes tr[data-box-id='{box.Id}']").CountAsync() == 1;

    /// <summary>The box's row: its name cell and its "why this traffic" sentence.</summary>
    public async Task<(string Name, string Why)> RowAsync(LocalBox box)
    {
        var row = Page.Locator($"#boxes tr[data-box-id='{box.Id}']");
        return ((await row.Locator("td.name").TextContentAsync())!, (await row.Locator("td.why").TextContentAsync())!);
    }

    public async Task<bool> ListsGoneAsync(LocalBox box, string reason) =>
        await Page.Locator($"#gone tr[data-box-id='{box.Id}'][data-reason='{reason}']").CountAsync() == 1;

    public async Task<bool> MarksReturnedAsync(LocalBox box) =>
        await Page.Locator($"#gone tr[data-box-id='{box.Id}'][data-returned='true']").CountAsync() == 1;

    public Task<string> GoneTextAsync(LocalBox box) => Page.Locator($"#gone tr[data-box-id='{box.Id}'] td.reason").TextContentAsync()!;

    /// <summary>Points drawn in the charts: history slots with a live-boxes figure, and uPlot's canvases.</summary>
    public async Task<int> ChartPointsAsync()
    {
        var history = await Page.EvaluateAsync<JsonElement?>("() => window.dandelionHistory ?? null");
        if (history is not { ValueKind: JsonValueKind.Object } h)
            return 0;
        var canvases = await Page.Locator("#charts canvas").CountAsync();
        return canvases < 4 ? 0 : h.GetProperty("boxesLive").EnumerateArray().Count(v => v.ValueKind == JsonValueKind.Number);
    }
}
