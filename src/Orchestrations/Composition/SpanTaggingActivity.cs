using EccoStudio.Activities.Common;
using Microsoft.DurableTask;

namespace EccoStudio.Orchestrations.Composition;

/// <summary>Runs an activity after naming its step and entity on the current span (<see cref="ActivitySpanTags"/>).</summary>
internal sealed class SpanTaggingActivity(string name, ITaskActivity inner) : ITaskActivity
{
    public Type InputType => inner.InputType;

    public Type OutputType => inner.OutputType;

    public Task<object?> RunAsync(TaskActivityContext context, object? input)
    {
        ActivitySpanTags.Apply(name, input);
        return inner.RunAsync(context, input);
    }
}
