namespace EccoStudio.Api.Instances;

/// <summary>The Durable Functions HTTP management API routes (served by the Durable extension in Azure, by us locally).</summary>
public static class ManagementRoutes
{
    public const string Root = "runtime/webhooks/durabletask/instances";
    public const string Instance = Root + "/{instanceId}";
    public const string Terminate = Instance + "/terminate";
    public const string Suspend = Instance + "/suspend";
    public const string Resume = Instance + "/resume";
    public const string Restart = Instance + "/restart";
    public const string Rewind = Instance + "/rewind";
    public const string RaiseEvent = Instance + "/raiseEvent/{eventName}";
}
