namespace EccoStudio.Orchestrations.Instances;

/// <summary>Which existing instance with the same id makes a start be refused.</summary>
public enum StartDedupe
{
    /// <summary>Any existing instance, whatever its status (pending, running, suspended, completed, failed, terminated).</summary>
    RefuseIfExists,

    /// <summary>An instance that is pending, running, suspended or completed; a failed or terminated one is replaced.</summary>
    RefuseUnlessFailedOrTerminated,
}
