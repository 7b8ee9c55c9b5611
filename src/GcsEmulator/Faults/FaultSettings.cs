namespace EccoStudio.GcsEmulator.Faults;

/// <summary>
/// What the emulator injects. All rates are fractions in [0,1]; everything is off by default.
/// Switchable per run (program flags / <see cref="GcsEmulatorOptions"/>) and at runtime (admin endpoint).
/// </summary>
/// <remarks>
/// The terminal faults (503, 429, dropped connection) are drawn from ONE roll per matching request, in that order:
/// with rates summing to at most 1 each kind hits exactly its own fraction of requests. Latency is drawn
/// independently, before the terminal roll, and the request then goes on (or still gets a terminal fault).
/// </remarks>
public sealed class FaultSettings
{
    public double Rate503 { get; set; }
    public double Rate429 { get; set; }
    public double RateDrop { get; set; }
    public double LatencyRate { get; set; }
    public int LatencyMs { get; set; }
    /// <summary>Only requests with this HTTP method (GET, POST, PUT, PATCH, DELETE); null = all.</summary>
    public string? Method { get; set; }
    /// <summary>
    /// Only requests on objects whose name starts with this prefix; null = all. The name is taken from the path
    /// (<c>/storage/v1/b/B/o/NAME</c>, <c>/download/storage/v1/b/B/o/NAME</c>, URL-decoded) or from the
    /// <c>name</c> query parameter of uploads. Requests whose object name is not in the URL (bucket calls,
    /// listings, uploads naming the object only in the body, resumable session chunks) match only rules
    /// WITHOUT a prefix.
    /// </summary>
    public string? ObjectPrefix { get; set; }
    /// <summary>GCS's per-object mutation limit: at most one mutation per object name per second, else 429.</summary>
    public bool PerObjectMutationLimit { get; set; }
    /// <summary>Seed for reproducible fault sequences; null = random.</summary>
    public int? Seed { get; set; }

    /// <summary>True when any request-level fault can fire (the mutation limit is separate).</summary>
    public bool InjectsAnything => Rate503 > 0 || Rate429 > 0 || RateDrop > 0 || (LatencyRate > 0 && LatencyMs > 0);

    /// <summary>The problems with these settings; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        CheckRate(problems, nameof(Rate503), Rate503);
        CheckRate(problems, nameof(Rate429), Rate429);
        CheckRate(problems, nameof(RateDrop), RateDrop);
        CheckRate(problems, nameof(LatencyRate), LatencyRate);
        if (LatencyMs < 0)
        {
            problems.Add($"latencyMs must be >= 0 (was {LatencyMs}).");
        }

        if (Method is not null && !IsKnownMethod(Method))
        {
            problems.Add($"method must be one of GET, POST, PUT, PATCH, DELETE, HEAD (was '{Method}').");
        }

        return problems;
    }

    /// <summary>A copy, so callers cannot change the settings in force behind the injector's back.</summary>
    public FaultSettings Clone() => (FaultSettings)MemberwiseClone();

    private static void CheckRate(List<string> problems, string name, double value)
    {
        if (double.IsNaN(value) || value < 0 || value > 1)
        {
            problems.Add($"{char.ToLowerInvariant(name[0])}{name[1..]} must be within [0,1] (was {value}).");
        }
    }

    private static bool IsKnownMethod(string method) =>
        method.ToUpperInvariant() is "GET" or "POST" or "PUT" or "PATCH" or "DELETE" or "HEAD";
}
