namespace EccoStudio.Provisioning.Planning;

/// <summary>One field of one resource: what it is, what it will be, and whether that weakens protection.</summary>
public sealed record PlannedChange(string Field, ChangeKind Kind, string? Old, string? New, bool Weakens = false)
{
    public static PlannedChange Compare(string field, string? actual, string? desired, bool weakens = false) =>
        actual == desired ? new(field, ChangeKind.Keep, actual, desired)
        : actual is null ? new(field, ChangeKind.Add, null, desired, weakens)
        : desired is null ? new(field, ChangeKind.Remove, actual, null, weakens)
        : new(field, ChangeKind.Change, actual, desired, weakens);

    public override string ToString() => Kind switch
    {
        ChangeKind.Keep => $"  = {Field}: {New}",
        ChangeKind.Add => $"  + {Field}: {New}",
        ChangeKind.Remove => $"  - {Field}: {Old}",
        _ => $"  ~ {Field}: {Old} → {New}",
    } + (Weakens ? "   (weakens protection)" : "");
}
