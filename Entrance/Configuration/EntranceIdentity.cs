using Dandelion.Shared.Identity;

namespace Dandelion.Entrance.Configuration;

/// <summary>This entrance's id, kept in <c>{DataDirectory}/entrance.id</c>.</summary>
internal sealed class EntranceIdentity(string id)
{
    public string Id { get; } = id;

    public static EntranceIdentity Load(EntranceOptions options) =>
        new(NodeIdentity.LoadOrCreate(options.DataDirectory, NodeRole.Entrance));
}
