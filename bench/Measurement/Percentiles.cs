namespace EccoStudio.Bench.Measurement;

/// <summary>Latency samples of one run and their percentiles (nearest-rank).</summary>
public sealed class Percentiles(IReadOnlyList<double> samples)
{
    private readonly double[] _sorted = samples.Order().ToArray();

    public int Count => _sorted.Length;

    public double At(double percentile)
    {
        if (_sorted.Length == 0)
        {
            throw new InvalidOperationException("No latency samples.");
        }

        var rank = (int)Math.Ceiling(percentile / 100.0 * _sorted.Length);
        return _sorted[Math.Clamp(rank, 1, _sorted.Length) - 1];
    }
}
