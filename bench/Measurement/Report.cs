using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EccoStudio.Bench.Measurement;

/// <summary>Collects figures (grouped by suite), prints them as a table and writes a machine-readable JSON summary.</summary>
public sealed class Report(IReadOnlyList<string> suites, bool quick)
{
    private readonly List<(string Suite, Figure Figure)> _figures = [];
    private readonly List<string> _notes = [];
    private readonly Dictionary<string, double> _suiteSeconds = new(StringComparer.Ordinal);
    private string _suite = "";

    public IReadOnlyList<Figure> Figures => _figures.Select(f => f.Figure).ToList();

    /// <summary>Figures added from now on belong to <paramref name="suite"/>.</summary>
    public void BeginSuite(string suite) => _suite = suite;

    public void EndSuite(string suite, TimeSpan elapsed) => _suiteSeconds[suite] = Math.Round(elapsed.TotalSeconds, 1);

    public Figure Add(Figure figure)
    {
        _figures.RemoveAll(f => f.Figure.Key == figure.Key);
        _figures.Add((_suite, figure));
        return figure;
    }

    public void AddRange(IEnumerable<Figure> figures)
    {
        foreach (var f in figures)
        {
            Add(f);
        }
    }

    public void Note(string note) => _notes.Add(note);

    public Figure Find(string key) => _figures.Single(f => f.Figure.Key == key).Figure;

    public bool TryFind(string key, out Figure figure)
    {
        var hit = _figures.FirstOrDefault(f => f.Figure.Key == key);
        figure = hit.Figure!;
        return hit.Figure is not null;
    }

    public void PrintTable(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"Benchmarks {string.Join(", ", suites)}{(quick ? " (quick)" : string.Empty)} — {Environment.ProcessorCount} cores, {RuntimeLabel()}, {Environment.OSVersion}");
        var keyWidth = Math.Max(10, _figures.Count == 0 ? 10 : _figures.Max(f => f.Figure.Key.Length));
        foreach (var group in _figures.GroupBy(f => f.Suite))
        {
            output.WriteLine();
            output.WriteLine($"[{group.Key}]{(_suiteSeconds.TryGetValue(group.Key, out var s) ? $" ({s.ToString(CultureInfo.InvariantCulture)} s)" : "")}");
            output.WriteLine($"{"figure".PadRight(keyWidth)}  {"median",10}  {"min",10}  {"max",10}  runs  unit");
            foreach (var (_, f) in group)
            {
                output.WriteLine($"{f.Key.PadRight(keyWidth)}  {Format(f.Median),10}  {Format(f.Min),10}  {Format(f.Max),10}  {f.Runs,4}  {f.Unit}");
            }
        }

        var notes = _figures.Where(f => f.Figure.Note is not null).Select(f => $"{f.Figure.Key}: {f.Figure.Note}").Concat(_notes).ToList();
        if (notes.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Notes:");
            foreach (var note in notes)
            {
                output.WriteLine("  - " + note);
            }
        }
    }

    public JsonObject ToJson()
    {
        var root = new JsonObject
        {
            ["suites"] = new JsonArray(suites.Select(s => (JsonNode)s).ToArray()),
            ["quick"] = quick,
            ["machine"] = new JsonObject
            {
                ["cores"] = Environment.ProcessorCount,
                ["os"] = Environment.OSVersion.ToString(),
                ["runtime"] = RuntimeLabel(),
            },
            ["measured_at"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        };
        var details = new JsonObject();
        foreach (var (suite, f) in _figures)
        {
            root[f.Key] = Round(f.Median);
            var detail = new JsonObject
            {
                ["suite"] = suite,
                ["unit"] = f.Unit,
                ["median"] = Round(f.Median),
                ["min"] = Round(f.Min),
                ["max"] = Round(f.Max),
                ["runs"] = f.Runs,
            };
            if (f.Note is not null)
            {
                detail["note"] = f.Note;
            }

            details[f.Key] = detail;
        }

        root["suite_seconds"] = new JsonObject(_suiteSeconds.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
        root["notes"] = new JsonArray(_notes.Select(n => (JsonNode)n).ToArray());
        root["figures"] = details;
        return root;
    }

    public async Task WriteJsonAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var json = ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        await File.WriteAllTextAsync(path, json + "\n");
    }

    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 4) : -1;

    private static string Format(double value) =>
        value >= 100 ? value.ToString("F0", CultureInfo.InvariantCulture) : value.ToString("G4", CultureInfo.InvariantCulture);

    private static string RuntimeLabel() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;
}
