namespace EccoStudio.Storage.Rules;

/// <summary>A rule document whose condition or action cannot be understood.</summary>
public sealed class RuleFormatException : StorageModelException
{
    public RuleFormatException(string ruleId, string reason)
        : base($"Rule '{ruleId}': {reason}.")
    {
        RuleId = ruleId;
    }

    public RuleFormatException()
        : this(string.Empty, "unspecified")
    {
    }

    public RuleFormatException(string message, Exception innerException)
        : base(message, innerException) => RuleId = string.Empty;

    public string RuleId { get; }
}
