using Microsoft.Playwright;

namespace Dandelion.EndToEnd.Tests;

/// <summary>
/// Debian's chromium (installed by scripts/setup.sh) driven by Playwright. Playwright's own
/// browser download is never used: the executable is given, and its driver ships in the
/// NuGet package. A fresh profile per run.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly string _profile;

    private HeadlessChromium(IPlaywright playwright, IBrowserContext context, string profile)
    {
        _playwright = playwright;
        Context = context;
        _profile = profile;
    }

    public IBrowserContext Context { get; }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        if (!File.Exists(Executable))
            throw new FileNotFoundException($"{Executable} is missing: run ./scripts/setup.sh.", Executable);
        var profile = Directory.CreateTempSubdirectory("dandelion-chromium-").FullName;
        var playwright = await Playwright.CreateAsync();
        try
        {
            var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = Executable,
                Headless = true,
                ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
                Args =
                [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--autoplay-policy=no-user-gesture-required",
                    // Two pages are open at once (player, dashboard): neither may be throttled as a background tab.
                    "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows",
                ],
            });
            return new HeadlessChromium(playwright, context, profile);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
