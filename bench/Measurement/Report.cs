using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EccoStudio.Bench.Measurement;

/// <summary>Collects figures, prints them as a table and writes a machine-readable JSON summary.</summary>
public sealed class Report(string suite, bool quick)
{
    private readonly List<Figure> _figures = [];

    public IReadOnlyList<Figure> Figures => _figures;

    public Figure Add(Figure figure)
    {
        _figures.Add(figure);
        return figure;
    }

    public void PrintTable(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"Benchmark suite '{suite}'{(quick ? " (quick)" : string.Empty)} — {Environment.ProcessorCount} cores, {RuntimeLabel()}");
        var keyWidth = Math.Max(10, _figures.Count == 0 ? 10 : _figures.Max(f => f.Key.Length));
        output.WriteLine($"{"figure".PadRight(keyWidth)}  {"median",12}  {"min",12}  {"max",12}  unit");
        foreach (var f in _figures)
        {
            output.WriteLine($"{f.Key.PadRight(keyWidth)}  {Format(f.Median),12}  {Format(f.Min),12}  {Format(f.Max),12}  {f.Unit}");
        }
    }

    public JsonObject ToJson()
    {
        var root = new JsonObject
        {
            ["suite"] = suite,
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
        foreach (var f in _figures)
        {
            root[f.Key] = Math.Round(f.Median, 4);
            details[f.Key] = new JsonObject
            {
                ["unit"] = f.Unit,
                ["median"] = Math.Round(f.Median, 4),
                ["min"] = Math.Round(f.Min, 4),
                ["max"] = Math.Round(f.Max, 4),
                ["runs"] = f.Runs,
            };
        }

        root["figures"] = details;
        return root;
    }

    public async Task WriteJsonAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var json = ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        await File.WriteAllTextAsync(path, json + "\n");
    }

    private static string Format(double value) =>
        value >= 100 ? value.ToString("F0", CultureInfo.InvariantCulture) : value.ToString("G4", CultureInfo.InvariantCulture);

    private static string RuntimeLabel() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;
}
