using Dandelion.Entrance.Boxes;

namespace Dandelion.Entrance.Dashboard;

/// <summary>Turns the stored gone entries (newest first) into what the dashboard lists: one row per box, with its real reason and a returned mark.</summary>
internal static class GoneList
{
    public static List<GoneBox> From(IEnumerable<GoneEntry> entries, IReadOnlySet<string> live, TimeSpan expiry, int limit)
    {
        var rows = new List<GoneBox>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (index.TryGetValue(entry.Id, out var at))
            {
                rows[at] = rows[at] with { Times = rows[at].Times + 1 };
                continue;
            }
            if (rows.Count == limit)
                continue;
            index[entry.Id] = rows.Count;
            rows.Add(new GoneBox(entry.Id, entry.Name, entry.Reason, Why(entry.Reason, expiry), entry.At, 1, live.Contains(entry.Id)));
        }
        return rows;
    }

    public static string Why(string reason, TimeSpan expiry) => reason switch
    {
        GoneReasons.Closed => "closed its session (stopped in order)",
        GoneReasons.Drained => "drained, then closed its session",
        GoneReasons.Lost => "crashed or lost its connection (no close frame)",
        GoneReasons.Expired => $"expired: silent for more than {expiry.TotalSeconds:0} s (frozen or cut off)",
        GoneReasons.Revoked => "revoked: its token was refused",
        GoneReasons.Refused => "dropped after a message the entrance refused",
        _ => reason,
    };
}
