using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace EccoStudio.Activities.Rules;

/// <summary>
/// The rules that target one entity kind in one environment, kept for a short time so that a steady write does not
/// list <c>indices/rules/by-target/{kind}/</c> and read every rule again (one list + one get per rule per write).
/// A rule written through this process invalidates its environment at once; other processes see a rule change within
/// the write path's <c>RulesCacheTtl</c> (<c>Ecco:WritePath</c>). A TTL of zero turns the cache off.
/// </summary>
public sealed class RuleSetCache(TimeSpan ttl, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Env, string Kind), Entry> _entries = new();
    private long _version;

    public async Task<IReadOnlyList<JsonObject>> GetOrLoadAsync(string env, string kind, Func<Task<IReadOnlyList<JsonObject>>> load)
    {
        if (ttl <= TimeSpan.Zero)
        {
            return await load();
        }

        var now = time.GetUtcNow();
        if (_entries.TryGetValue((env, kind), out var cached) && cached.Expires > now)
        {
            return cached.Rules;
        }

        var version = Volatile.Read(ref _version);
        var rules = await load();
        // A rule written while this load ran may be missing from it: keep the result only if nothing was invalidated.
        if (Volatile.Read(ref _version) == version)
        {
            _entries[(env, kind)] = new Entry(rules, now + ttl);
        }

        return rules;
    }

    /// <summary>Forget every cached rule set of <paramref name="env"/> (a rule there changed).</summary>
    public void Invalidate(string env)
    {
        Interlocked.Increment(ref _version);
        foreach (var key in _entries.Keys.Where(k => k.Env == env))
        {
            _entries.TryRemove(key, out _);
        }
    }

    private sealed record Entry(IReadOnlyList<JsonObject> Rules, DateTimeOffset Expires);
}
