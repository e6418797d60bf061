using System.Collections;
using System.Globalization;
using System.Reflection;

namespace Dandelion.Deployment.Tests;

/// <summary>
/// The keys an options class binds, found by reflection as ConfigurationBinder finds them:
/// public settable properties; classes of ours are sections, everything else (numbers,
/// strings, durations, lists) a value.
/// </summary>
internal static class OptionKeys
{
    public static IReadOnlyList<string> Of(Type type, string prefix)
    {
        var keys = new List<string>();
        Collect(type, prefix, keys);
        return keys;
    }

    public static IEnumerable<PropertyInfo> Bindable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0);

    public static bool IsSection(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type)
            && type.Namespace?.StartsWith("Dandelion.", StringComparison.Ordinal) == true;
    }

    /// <summary>
    /// Where <paramref name="actual"/> differs from <paramref name="expected"/>, key by key
    /// (lists by their items), as "key: expected → actual".
    /// </summary>
    public static IReadOnlyList<string> Differences(Type type, object? expected, object? actual, string prefix)
    {
        var differences = new List<string>();
        Compare(type, expected, actual, prefix, differences);
        return differences;
    }

    private static void Collect(Type type, string prefix, List<string> keys)
    {
        foreach (var property in Bindable(type))
        {
            var key = $"{prefix}:{property.Name}";
            if (IsSection(property.PropertyType))
                Collect(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType, key, keys);
            else
                keys.Add(key);
        }
    }

    private static void Compare(Type type, object? expected, object? actual, string prefix, List<string> differences)
    {
        foreach (var property in Bindable(type))
        {
            var key = $"{prefix}:{property.Name}";
            var e = expected is null ? null : property.GetValue(expected);
            var a = actual is null ? null : property.GetValue(actual);
            if (IsSection(property.PropertyType))
            {
                if ((e is null) != (a is null))
                    differences.Add($"{key}: {(e is null ? "not set" : "set")} → {(a is null ? "not set" : "set")}");
                Compare(property.PropertyType, e, a, key, differences);
                continue;
            }
            var shownExpected = Show(e);
            var shownActual = Show(a);
            if (shownExpected != shownActual)
                differences.Add($"{key}: {shownExpected} → {shownActual}");
        }
    }

    private static string Show(object? value) => value switch
    {
        null => "~",
        string s => $"'{s}'",
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Show)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
