namespace EccoStudio.Bench.Measurement;

/// <summary>One measured quantity: the median of several runs after warm-up, with min and max beside it.</summary>
public sealed record Figure(string Key, string Unit, double Median, double Min, double Max, int Runs)
{
    /// <summary>A note printed under the table (how the figure was obtained, caveats).</summary>
    public string? Note { get; init; }

    public static Figure FromSamples(string key, string unit, IReadOnlyList<double> samples)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("A figure needs at least one sample.", nameof(samples));
        }

        var sorted = samples.Order().ToArray();
        var mid = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        return new Figure(key, unit, median, sorted[0], sorted[^1], sorted.Length);
    }

    /// <summary>A derived figure (ratio of medians); min/max bound the ratio from the sample extremes.</summary>
    public static Figure Ratio(string key, Figure numerator, Figure denominator) =>
        new(key, "ratio",
            numerator.Median / denominator.Median,
            numerator.Min / denominator.Max,
            numerator.Max / denominator.Min,
            Math.Min(numerator.Runs, denominator.Runs));

    /// <summary>The same figure under another key (a headline key of the summary).</summary>
    public Figure As(string key, string? note = null) => this with { Key = key, Note = note ?? Note };
}
