using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace EccoStudio.Storage.Recovery;

/// <summary>Counts of a restore plan (by group and action) and of what applying it did; safe to add to from parallel workers.</summary>
public sealed class RestoreTally
{
    private readonly ConcurrentDictionary<(string Group, RestoreAction Action), long> _planned = new();
    private readonly ConcurrentDictionary<RestoreOutcome, long> _outcomes = new();
    private long _steps;

    public long Steps => Interlocked.Read(ref _steps);

    public long Planned(RestoreAction action) => _planned.Where(p => p.Key.Action == action).Sum(p => p.Value);

    public long Planned(string group, RestoreAction action) => _planned.TryGetValue((group, action), out var n) ? n : 0;

    public long Outcome(RestoreOutcome outcome) => _outcomes.TryGetValue(outcome, out var n) ? n : 0;

    /// <summary>Objects the plan would write (bring back, revert, remove).</summary>
    public long Changes => Steps - Planned(RestoreAction.Keep);

    public void Plan(RestoreStep step)
    {
        Interlocked.Increment(ref _steps);
        _planned.AddOrUpdate((step.Group, step.Action), 1, (_, n) => n + 1);
    }

    public void Applied(RestoreOutcome outcome) => _outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);

    /// <summary>The plan as a table: one row per group, a column per action, and a total row.</summary>
    public string PlanTable()
    {
        var actions = Enum.GetValues<RestoreAction>();
        var groups = _planned.Keys.Select(k => k.Group).Distinct().Order(StringComparer.Ordinal).ToList();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"kind",-12}");
        foreach (var action in actions)
        {
            text.Append(CultureInfo.InvariantCulture, $" {Header(action),11}");
        }

        text.AppendLine();
        foreach (var group in groups)
        {
            text.Append(CultureInfo.InvariantCulture, $"{group,-12}");
            foreach (var action in actions)
            {
                text.Append(CultureInfo.InvariantCulture, $" {Planned(group, action),11}");
            }

            text.AppendLine();
        }

        text.Append(CultureInfo.InvariantCulture, $"{"total",-12}");
        foreach (var action in actions)
        {
            text.Append(CultureInfo.InvariantCulture, $" {Planned(action),11}");
        }

        return text.ToString();
    }

    public static string Header(RestoreAction action) => action switch
    {
        RestoreAction.Keep => "keep",
        RestoreAction.BringBack => "bring-back",
        RestoreAction.Revert => "revert",
        _ => "remove",
    };
}
