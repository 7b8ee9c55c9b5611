using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EccoStudio.GcsEmulator.Faults;

/// <summary>
/// Runtime-switchable fault injection and the per-object mutation limit.
/// Off by default; <see cref="Update"/> or the admin endpoint (<c>/_emulator/faults</c>) switch it at runtime.
/// </summary>
public sealed class FaultInjector
{
    /// <summary>The admin path; requests under it are never faulted.</summary>
    public const string AdminPath = "/_emulator/faults";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Lock _randomLock = new();
    private readonly PerObjectMutationGate _gate;
    private volatile FaultSettings _settings;
    private Random _random;

    public FaultInjector(FaultSettings initial)
        : this(initial, TimeProvider.System)
    {
    }

    /// <exception cref="ArgumentException">The settings are invalid (see <see cref="FaultSettings.Validate"/>).</exception>
    public FaultInjector(FaultSettings initial, TimeProvider timeProvider)
    {
        var problems = initial.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(initial));
        }

        _settings = initial.Clone();
        _random = NewRandom(_settings.Seed);
        _gate = new PerObjectMutationGate(() => _settings.PerObjectMutationLimit, timeProvider, Stats);
    }

    /// <summary>A copy of the settings in force.</summary>
    public FaultSettings Settings => _settings.Clone();

    /// <summary>The per-object mutation limiter; allows everything while the limit is off.</summary>
    public IMutationGate Gate => _gate;

    /// <summary>What was injected so far.</summary>
    public FaultStats Stats { get; } = new();

    /// <summary>Replaces the settings (a new seed restarts the pseudo-random sequence).</summary>
    /// <exception cref="ArgumentException">The settings are invalid (see <see cref="FaultSettings.Validate"/>).</exception>
    public void Update(FaultSettings settings)
    {
        var problems = settings.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(settings));
        }

        var copy = settings.Clone();
        lock (_randomLock)
        {
            _random = NewRandom(copy.Seed);
            _settings = copy;
        }

        if (!copy.PerObjectMutationLimit)
        {
            _gate.Clear();
        }
    }

    /// <summary>Called first for every storage request; true = the request was answered (fault) and must not go on.</summary>
    public async ValueTask<bool> TryInjectAsync(HttpContext context)
    {
        var settings = _settings;
        if (!settings.InjectsAnything || !Matches(settings, context))
        {
            return false;
        }

        if (settings.LatencyRate > 0 && settings.LatencyMs > 0 && NextDouble() < settings.LatencyRate)
        {
            Stats.Record(FaultKind.Latency);
            try
            {
                await Task.Delay(settings.LatencyMs, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return true; // the client went away while we waited: nothing left to answer
            }
        }

        var terminal = settings.Rate503 + settings.Rate429 + settings.RateDrop;
        if (terminal <= 0)
        {
            return false;
        }

        var roll = NextDouble();
        if (roll < settings.Rate503)
        {
            Stats.Record(FaultKind.ServiceUnavailable);
            await FaultErrorResponse.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
                FaultErrorResponse.BackendError, "Backend Error (injected by the emulator)");
            return true;
        }

        if (roll < settings.Rate503 + settings.Rate429)
        {
            Stats.Record(FaultKind.TooManyRequests);
            await FaultErrorResponse.WriteAsync(context, StatusCodes.Status429TooManyRequests,
                FaultErrorResponse.RateLimitExceeded, "Rate limit exceeded (injected by the emulator)");
            return true;
        }

        if (roll < terminal)
        {
            Stats.Record(FaultKind.DroppedConnection);
            context.Abort();
            return true;
        }

        return false;
    }

    /// <summary>
    /// Maps GET/PUT/DELETE <c>/_emulator/faults</c> (settings, camelCase JSON) and GET/DELETE
    /// <c>/_emulator/faults/stats</c> (counts by kind).
    /// </summary>
    public void MapAdminEndpoints(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(AdminPath, () => Results.Json(_settings, Json));
        endpoints.MapPut(AdminPath, (Delegate)PutSettingsAsync);
        endpoints.MapDelete(AdminPath, () =>
        {
            Update(new FaultSettings());
            return Results.NoContent();
        });
        endpoints.MapGet(AdminPath + "/stats", () => Results.Json(Stats.Snapshot(), Json));
        endpoints.MapDelete(AdminPath + "/stats", () =>
        {
            Stats.Reset();
            return Results.NoContent();
        });
    }

    private async Task<IResult> PutSettingsAsync(HttpContext context)
    {
        FaultSettings? settings;
        try
        {
            settings = await JsonSerializer.DeserializeAsync<FaultSettings>(context.Request.Body, Json,
                context.RequestAborted);
        }
        catch (JsonException ex)
        {
            return BadRequest($"Invalid fault settings JSON: {ex.Message}");
        }

        if (settings is null)
        {
            return BadRequest("Fault settings body must be a JSON object.");
        }

        var problems = settings.Validate();
        if (problems.Count > 0)
        {
            return BadRequest(string.Join(" ", problems));
        }

        Update(settings);
        return Results.Json(_settings, Json);
    }

    private static IResult BadRequest(string message) =>
        Results.Json(FaultErrorResponse.Body(StatusCodes.Status400BadRequest, FaultErrorResponse.Invalid, message),
            Json, statusCode: StatusCodes.Status400BadRequest);

    private static bool Matches(FaultSettings settings, HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/_emulator", StringComparison.Ordinal))
        {
            return false;
        }

        if (settings.Method is { } method
            && !string.Equals(method, context.Request.Method, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (settings.ObjectPrefix is { } prefix)
        {
            var name = FaultTarget.ObjectName(context);
            return name is not null && name.StartsWith(prefix, StringComparison.Ordinal);
        }

        return true;
    }

    private double NextDouble()
    {
        lock (_randomLock)
        {
            return _random.NextDouble();
        }
    }

    private static Random NewRandom(int? seed) => seed is { } s ? new Random(s) : new Random();
}
