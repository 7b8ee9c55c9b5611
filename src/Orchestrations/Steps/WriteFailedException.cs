namespace EccoStudio.Orchestrations.Steps;

/// <summary>Ends a write orchestration as Failed with a reason that says which step failed, why, and what was undone.</summary>
public sealed class WriteFailedException : Exception
{
    public WriteFailedException(string target, string step, string reason)
        : base(reason)
    {
        Target = target;
        Step = step;
    }

    public WriteFailedException()
        : this(string.Empty, string.Empty, "write failed")
    {
    }

    public WriteFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Target = string.Empty;
        Step = string.Empty;
    }

    public string Target { get; }

    public string Step { get; }
}
