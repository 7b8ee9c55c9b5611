namespace EccoStudio.Provisioning.Planning;

/// <summary>
/// The differences for one resource (bucket, policy, topic, subscription, notification configs, schemas) and how to
/// make them true. <see cref="Apply"/> re-reads what it needs, so applying after a partial earlier run continues.
/// </summary>
public sealed record ResourcePlan(string Resource, IReadOnlyList<PlannedChange> Changes, Func<CancellationToken, Task>? Apply)
{
    /// <summary>Blocking problems that no flag overrides (e.g. a schema text changed under a published version).</summary>
    public IReadOnlyList<string> Refusals { get; init; } = [];

    public int Pending => Changes.Count(c => c.Kind != ChangeKind.Keep);

    public bool Weakens => Changes.Any(c => c.Weakens && c.Kind != ChangeKind.Keep);
}
