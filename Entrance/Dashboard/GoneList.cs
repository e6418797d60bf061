using System.Text.Json;
using Dandelion.Entrance.Boxes;

namespace Dandelion.Entrance.Dashboard;

/// <summary>Turns the stored gone entries (newest first) into what the dashboard lists: one row per box, with its real reason and a returned mark.</summary>
internal static class GoneList
{
    public static List<GoneBox> From(IEnumerable<JsonElement> entries, IReadOnlySet<string> live, TimeSpan expiry, int limit)
    {
        var rows = new List<GoneBox>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("ID", out var idValue) || idValue.GetString() is not { } id)
                continue;
            if (index.TryGetValue(id, out var at))
            {
                rows[at] = rows[at] with { Times = rows[at].Times + 1 };
                continue;
            }
            if (rows.Count == limit)
                continue;
            var reason = entry.TryGetProperty("REASON", out var r) ? r.GetString() ?? "" : "";
            index[id] = rows.Count;
            rows.Add(new GoneBox(id,
                entry.TryGetProperty("NAME", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null,
                reason, Why(reason, expiry),
                entry.TryGetProperty("AT", out var when) && when.TryGetInt64(out var ms) ? ms : 0,
                1, live.Contains(id)));
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
