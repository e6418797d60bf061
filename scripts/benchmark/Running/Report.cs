using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Dandelion.Benchmark.Running;

/// <summary>
/// The results: a Markdown table (and the same rows as JSON beside it, which the smoke test
/// reads). A full run also replaces the table between the markers in BENCHMARKS.md.
/// </summary>
internal sealed class Report(string machine)
{
    public const string StartMarker = "<!-- benchmark:results -->";
    public const string EndMarker = "<!-- /benchmark:results -->";

    private readonly List<ResultRow> _rows = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<ResultRow> Rows
    {
        get
        {
            lock (_gate)
                return _rows.ToList();
        }
    }

    public void Add(ResultRow row)
    {
        lock (_gate)
            _rows.Add(row);
        Console.WriteLine($"benchmark: {row.Scenario} | {row.Case} | {row.Ours} | peer {row.Peer} | {FormatRatio(row.Ratio)} | {row.Measured}{(row.Error is null ? "" : " | ERROR " + row.Error)}");
    }

    public string ToMarkdown(string title, string load)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{title}\n\nMachine: {machine}. Load: {load}.\n\n");
        text.Append("| scenario | case | ours | peer (same run) | ratio | target | CPU, memory of the measured process |\n");
        text.Append("|---|---|---|---|---|---|---|\n");
        // In scenario order, whatever order they ran in.
        foreach (var row in Rows.OrderBy(r => r.Scenario, StringComparer.Ordinal))
        {
            var ours = row.Error is null ? row.Ours : $"**not measured**: {row.Error}";
            text.Append(CultureInfo.InvariantCulture,
                $"| {Cell(row.Scenario)} | {Cell(row.Case)} | {Cell(ours)} | {Cell(row.Peer)} | {FormatRatio(row.Ratio)} | {Cell(row.Target)} | {Cell(row.Measured)} |\n");
        }
        return text.ToString();
    }

    public async Task WriteAsync(string markdownPath, string markdown)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(markdownPath))!);
        await File.WriteAllTextAsync(markdownPath, markdown);
        await File.WriteAllTextAsync(Path.ChangeExtension(markdownPath, ".json"),
            JsonSerializer.Serialize(Rows, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
    }

    /// <summary>Replaces the block between the markers in <paramref name="benchmarksMd"/> with <paramref name="markdown"/>.</summary>
    public static async Task ReplaceResultsAsync(string benchmarksMd, string markdown)
    {
        var text = await File.ReadAllTextAsync(benchmarksMd);
        var start = text.IndexOf(StartMarker, StringComparison.Ordinal);
        var end = text.IndexOf(EndMarker, StringComparison.Ordinal);
        if (start < 0 || end < start)
            throw new InvalidOperationException($"{benchmarksMd} has no {StartMarker} … {EndMarker} block for the results.");
        await File.WriteAllTextAsync(benchmarksMd, text[..(start + StartMarker.Length)] + "\n" + markdown + "\n" + text[end..]);
    }

    public static string FormatRatio(double? ratio) =>
        ratio is { } r && double.IsFinite(r) ? string.Create(CultureInfo.InvariantCulture, $"{r:0.00}") : "—";

    private static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
