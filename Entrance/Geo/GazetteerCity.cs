namespace Dandelion.Entrance.Geo;

/// <summary>One city of the gazetteer: where it is and its ISO country code (one shared string per country).</summary>
internal readonly record struct GazetteerCity(float Latitude, float Longitude, string Country);
