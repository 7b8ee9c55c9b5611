using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using EccoStudio.Telemetry;

namespace EccoStudio.Activities.Common;

/// <summary>
/// Names what an activity works on, on the span that runs it (the Durable Task SDK's <c>activity:Name</c> span, or
/// the Functions invocation span): <c>ecco.step</c> (the activity's step) and, from the input's <see cref="EntityRef"/>,
/// <c>ecco.env</c>, <c>ecco.entity</c>, <c>ecco.id</c>. Identifiers only: the input's document never becomes a tag.
/// </summary>
public static class ActivitySpanTags
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo?> EntityProperty = new();

    public static void Apply(string activityName, object? input)
    {
        if (Activity.Current is not { } span)
        {
            return;
        }

        span.SetTag(EccoTags.Step, StepOf(activityName));
        if (input is not null && EntityOf(input) is { } entity)
        {
            span.SetTag(EccoTags.Env, entity.Env);
            span.SetTag(EccoTags.Entity, entity.Entity);
            span.SetTag(EccoTags.Id, entity.Id);
        }
    }

    /// <summary><c>ApplySnapshotActivity</c> → <c>ApplySnapshot</c>.</summary>
    public static string StepOf(string activityName) =>
        activityName.EndsWith("Activity", StringComparison.Ordinal) ? activityName[..^"Activity".Length] : activityName;

    private static EntityRef? EntityOf(object input) =>
        EntityProperty.GetOrAdd(input.GetType(), t => t.GetProperties().FirstOrDefault(p => p.PropertyType == typeof(EntityRef)))
            ?.GetValue(input) as EntityRef;
}
