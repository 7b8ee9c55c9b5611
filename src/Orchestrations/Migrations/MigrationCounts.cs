using EccoStudio.Storage.Migrations;

namespace EccoStudio.Orchestrations.Migrations;

/// <summary>Entities of a migration by outcome (<see cref="EntityMigrationOutcome"/>), plus those that failed and the objects written.</summary>
public sealed record MigrationCounts(int Checked = 0, int Migrated = 0, int AlreadyCurrent = 0, int Ahead = 0, int Absent = 0, int Removed = 0, int Failed = 0,
    int Writes = 0)
{
    public static MigrationCounts Empty { get; } = new();

    public MigrationCounts Add(MigrationCounts other) => new(
        Checked + other.Checked, Migrated + other.Migrated, AlreadyCurrent + other.AlreadyCurrent, Ahead + other.Ahead, Absent + other.Absent,
        Removed + other.Removed, Failed + other.Failed, Writes + other.Writes);

    public MigrationCounts Add(EntityMigrationResult result) => Add(new MigrationCounts(
        Checked: 1,
        Migrated: result.Outcome == EntityMigrationOutcome.Migrated ? 1 : 0,
        AlreadyCurrent: result.Outcome == EntityMigrationOutcome.AlreadyCurrent ? 1 : 0,
        Ahead: result.Outcome == EntityMigrationOutcome.Ahead ? 1 : 0,
        Absent: result.Outcome == EntityMigrationOutcome.Absent ? 1 : 0,
        Removed: result.Outcome == EntityMigrationOutcome.Removed ? 1 : 0,
        Writes: result.Writes));

    public MigrationCounts AddFailure() => Add(new MigrationCounts(Checked: 1, Failed: 1));

    /// <summary>By name, for the migration record.</summary>
    public IReadOnlyDictionary<string, int> ToDictionary() => new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["checked"] = Checked, ["migrated"] = Migrated, ["already_current"] = AlreadyCurrent, ["ahead"] = Ahead, ["absent"] = Absent,
        ["removed"] = Removed, ["failed"] = Failed, ["writes"] = Writes,
    };

    public override string ToString() =>
        $"{Checked} checked: {Migrated} migrated, {AlreadyCurrent} already current, {Removed} removed, {Absent} gone, {Ahead} ahead, {Failed} failed";
}

/// <summary>An entity whose migration failed for good (after the step's retries), and why.</summary>
public sealed record MigrationFailure(string Id, string Error);
