using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.DurableTask;

namespace EccoStudio.Orchestrations.Tests.Support;

/// <summary>
/// Registered under a real activity's name: runs the real activity (its GCS calls happen), then throws once per
/// (instance, activity, input) — a crash after the storage call but before the result reached the orchestrator.
/// The orchestrator's retry policy then runs the real activity a second time.
/// </summary>
public sealed class CrashOnceActivity(ITaskActivity inner, string name, CrashLedger ledger) : ITaskActivity
{
    public Type InputType => inner.InputType;

    public Type OutputType => inner.OutputType;

    public async Task<object?> RunAsync(TaskActivityContext context, object? input)
    {
        var result = await inner.RunAsync(context, input);
        if (ledger.ShouldCrash(context.InstanceId, name, JsonSerializer.Serialize(input)))
        {
            throw new IOException($"simulated crash after {name} did its work (instance {context.InstanceId})");
        }

        return result;
    }
}

/// <summary>Remembers which calls already crashed once, and counts the crashes per activity.</summary>
public sealed class CrashLedger(Func<string, bool>? appliesTo = null)
{
    private readonly ConcurrentDictionary<string, bool> _crashed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _perActivity = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, int> CrashesByActivity => _perActivity;

    public bool ShouldCrash(string instanceId, string name, string input)
    {
        if (appliesTo is not null && !appliesTo(name))
        {
            return false;
        }

        if (!_crashed.TryAdd($"{instanceId}|{name}|{input}", true))
        {
            return false;
        }

        _perActivity.AddOrUpdate(name, 1, (_, n) => n + 1);
        return true;
    }

    public Orchestrations.Composition.ActivityDecorator Decorator => (name, activity, _) => new CrashOnceActivity(activity, name, this);
}
