using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EccoStudio.GcsEmulator.Faults;

/// <summary>
/// Runtime-switchable fault injection and the per-object mutation limit.
/// (Contract agreed between the emulator core and the faults feature; bodies are filled by the faults feature.)
/// </summary>
public sealed class FaultInjector(FaultSettings initial)
{
    private volatile FaultSettings _settings = initial;

    public FaultSettings Settings => _settings;

    /// <summary>The per-object mutation limiter; allows everything while the limit is off.</summary>
    public IMutationGate Gate { get; } = new AllowAllGate();

    public void Update(FaultSettings settings) => _settings = settings;

    /// <summary>Called first for every storage request; true = the request was answered (fault) and must not go on.</summary>
    public ValueTask<bool> TryInjectAsync(HttpContext context) => ValueTask.FromResult(false);

    /// <summary>Maps GET/PUT/DELETE <c>/_emulator/faults</c>.</summary>
    public void MapAdminEndpoints(IEndpointRouteBuilder endpoints) { }

    private sealed class AllowAllGate : IMutationGate
    {
        public bool TryAcquire(string bucket, string objectName) => true;
    }
}
