using System.Collections.Concurrent;
using EccoStudio.Orchestrations.Composition;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;

namespace EccoStudio.Reliability.Tests.Support;

/// <summary>
/// Registered as the host's <see cref="ActivityDecorator"/>: records every activity input, result and failure as the
/// engine serializes them (its JSON data converter), i.e. what a task hub and a history query would hold, whether or
/// not the local management API can show history events.
/// </summary>
public sealed class ActivityTap
{
    private readonly ConcurrentQueue<string> _records = new();

    public IReadOnlyList<string> Records => [.. _records];

    public ActivityDecorator Decorator => (name, activity, _) => new Tapped(name, activity, _records);

    private sealed class Tapped(string name, ITaskActivity inner, ConcurrentQueue<string> records) : ITaskActivity
    {
        public Type InputType => inner.InputType;

        public Type OutputType => inner.OutputType;

        public async Task<object?> RunAsync(TaskActivityContext context, object? input)
        {
            records.Enqueue($"{name} input {JsonDataConverter.Default.Serialize(input)}");
            try
            {
                var result = await inner.RunAsync(context, input);
                records.Enqueue($"{name} result {JsonDataConverter.Default.Serialize(result)}");
                return result;
            }
            catch (Exception e)
            {
                records.Enqueue($"{name} failure {e}");
                throw;
            }
        }
    }
}
