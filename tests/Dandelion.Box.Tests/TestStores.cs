using System.Diagnostics.Metrics;
using Dandelion.Box.Diagnostics;
using Dandelion.Box.Files;
using Dandelion.Box.Node;
using Dandelion.Box.Traffic;
using Dandelion.Shared.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dandelion.Box.Tests;

/// <summary>The box's parts built by hand over a real directory, for unit tests with a fake clock.</summary>
internal static class TestStores
{
    public const string Publisher = "publisher-0123456789abcdef0123456789abcdef";

    public static IOptions<BoxOptions> Options(string dataDirectory, Action<BoxOptions>? configure = null)
    {
        var options = new BoxOptions { DataDirectory = dataDirectory };
        configure?.Invoke(options);
        new BoxOptionsSetup().PostConfigure(null, options);
        return Microsoft.Extensions.Options.Options.Create(options);
    }

    public static BoxMetrics Metrics() =>
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());

    public static FileStore Store(IOptions<BoxOptions> options, TimeProvider time) =>
        new(options, time, NullLogger<FileStore>.Instance, Metrics());

    public static TrafficOutbox Outbox(IOptions<BoxOptions> options) =>
        new(options, NullLogger<TrafficOutbox>.Instance, Metrics());

    /// <summary>Stores bytes the way a publisher session does; returns the refusal, if any.</summary>
    public static FileRefusal? Put(FileStore store, string path, byte[] bytes, string? ttl)
    {
        if (!store.TryAdmit(Publisher, new FileHeader { FilePath = path, Ttl = ttl }, out var admission, out var refusal))
            return refusal;
        using var reservation = store.StartUpload(admission!.Target);
        if (store.Reserve(reservation, bytes.Length) is { } full)
            return full;
        string temporary;
        using (var file = store.CreateTemporary(out temporary))
            file.Write(bytes);
        return store.Commit(admission, reservation, temporary, bytes.Length);
    }

    public static bool Servable(FileStore store, string path) =>
        StoragePath.TryResolve(store.Root, Publisher, path, out var target, out _) && store.TryGetServable(target!, out _);
}
