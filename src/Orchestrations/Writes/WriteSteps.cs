namespace EccoStudio.Orchestrations.Writes;

/// <summary>Step names as they appear in custom status, results and ops records (spec §5 order).</summary>
public static class WriteSteps
{
    public const string Validate = "validate";
    public const string History = "history";
    public const string Snapshot = "snapshot";
    public const string Manifest = "manifest";
    public const string Indices = "indices";
    public const string Rules = "rules";
    public const string Alerts = "alerts";
    public const string Compensate = "compensate";
    public const string Completed = "completed";
    public const string Failed = "failed";
}
