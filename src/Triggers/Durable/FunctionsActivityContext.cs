using Microsoft.DurableTask;

namespace EccoStudio.Triggers.Durable;

/// <summary>The activity context handed to a shared activity class when the Functions runtime invokes it.</summary>
public sealed class FunctionsActivityContext(TaskName name, string instanceId) : TaskActivityContext
{
    public override TaskName Name => name;

    public override string InstanceId => instanceId;
}
