using Dandelion.Box.Node;
using Dandelion.Entrance.Configuration;
using Dandelion.Publisher;
using Dandelion.Publisher.Configuration;
using Microsoft.Extensions.Options;

namespace Dandelion.Deployment.Tests;

/// <summary>One of the three programs as its configuration sees it: section, options class, validation.</summary>
internal sealed record App(string Name, string Section, Type OptionsType, Func<object> Defaults, Func<object, ValidateOptionsResult> Validate)
{
    public static readonly App Entrance = new("Entrance", EntranceOptions.Section, typeof(EntranceOptions), () => new EntranceOptions(),
        o => new EntranceOptionsValidator().Validate(null, (EntranceOptions)o));

    // The box fills in derived paths before it validates (BoxOptionsSetup), so the test does too.
    public static readonly App Box = new("Box", BoxOptions.Section, typeof(BoxOptions), () => new BoxOptions(), o =>
    {
        new BoxOptionsSetup().PostConfigure(null, (BoxOptions)o);
        return new BoxOptionsValidator().Validate(null, (BoxOptions)o);
    });

    public static readonly App Publisher = new("Publisher", PublisherOptions.Section, typeof(PublisherOptions), () => new PublisherOptions(),
        o => new PublisherOptionsValidator().Validate(null, (PublisherOptions)o));

    public static IReadOnlyList<App> All { get; } = [Entrance, Box, Publisher];

    public static App Named(string name) => All.Single(a => a.Name == name);

    /// <summary><c>{Name}/bin/{configuration}/net10.0/Dandelion.{Name}.dll</c>, built with this test project.</summary>
    public string Dll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
            return Path.Combine(Dandelion.Testing.RepositoryPaths.Root, Name, "bin", configuration, "net10.0", $"Dandelion.{Name}.dll");
        }
    }
}
