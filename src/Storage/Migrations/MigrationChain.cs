using System.Text.Json.Nodes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Json;

namespace EccoStudio.Storage.Migrations;

/// <summary>
/// The migrations of one entity kind, oldest first, each starting where the previous one ends: <see cref="Root"/> →
/// … → <see cref="Latest"/>. Empty for a kind with a single version (then every method returns its input).
/// The fold uses it to keep snapshots at <see cref="Latest"/> (docs/schema-evolution.md, "Folding rule"):
/// a full record is <see cref="Migrate"/>d from its version, a merge patch is <see cref="MigratePatch"/>ed from the
/// version it names (or from <see cref="Root"/> when it names none) and applied to the migrated state.
/// Neither method modifies its input: each returns the input itself when there is nothing to do, else a new object.
/// </summary>
public sealed class MigrationChain
{
    private readonly IReadOnlyList<SchemaMigration> _steps;

    public MigrationChain(EntityKind kind, IReadOnlyList<SchemaMigration> steps)
    {
        Kind = kind;
        _steps = steps;
        for (var i = 1; i < steps.Count; i++)
        {
            if (steps[i].From != steps[i - 1].To)
            {
                throw new ArgumentException($"{kind.Name}: migration into {steps[i].To} starts at {steps[i].From}, not at {steps[i - 1].To}.", nameof(steps));
            }
        }
    }

    public static MigrationChain Empty(EntityKind kind) => new(kind, []);

    public EntityKind Kind { get; }

    public IReadOnlyList<SchemaMigration> Steps => _steps;

    public bool IsEmpty => _steps.Count == 0;

    /// <summary>The version the chain starts at (null when empty).</summary>
    public SchemaVersion? Root => IsEmpty ? null : _steps[0].From;

    /// <summary>The version snapshots are kept at (null when empty: whatever version a document names).</summary>
    public SchemaVersion? Latest => IsEmpty ? null : _steps[^1].To;

    /// <summary>Every version on the chain, oldest first.</summary>
    public IEnumerable<SchemaVersion> Versions => IsEmpty ? [] : [_steps[0].From, .. _steps.Select(s => s.To)];

    /// <summary>True when <paramref name="version"/> is on the chain (always false for an empty chain).</summary>
    public bool Knows(SchemaVersion version) => Versions.Contains(version);

    /// <summary>The document's schema_version, when it names a valid one.</summary>
    public static SchemaVersion? VersionOf(JsonObject? document) =>
        document is not null && SchemaVersion.TryParse(EnvelopeReader.TryGetString(document, EnvelopeReader.SchemaVersionField), out var version)
            ? version
            : null;

    /// <summary>True when <paramref name="document"/> is on the chain below <see cref="Latest"/> (folding would migrate it).</summary>
    public bool IsBehind(JsonObject? document) =>
        Latest is { } latest && VersionOf(document) is { } version && version < latest && Knows(version);

    /// <summary>A whole document migrated from its schema_version to <see cref="Latest"/>.</summary>
    public JsonObject Migrate(JsonObject document)
    {
        if (!IsBehind(document))
        {
            return document;
        }

        var version = VersionOf(document)!.Value;
        var copy = JsonText.Clone(document);
        foreach (var step in _steps.SkipWhile(s => s.From != version))
        {
            step.ApplyToDocument(copy);
        }

        return copy;
    }

    /// <summary>
    /// A merge patch read from the version it names (<see cref="Root"/> when it names none, so an old-style patch
    /// still reaches the renamed member) through every later migration. A version the chain does not know, or the
    /// latest, leaves the patch as it is.
    /// </summary>
    public JsonObject MigratePatch(JsonObject patch)
    {
        if (IsEmpty)
        {
            return patch;
        }

        var version = patch.ContainsKey(EnvelopeReader.SchemaVersionField) ? VersionOf(patch) : Root;
        if (version is not { } from || !Knows(from) || from == Latest)
        {
            return patch;
        }

        var copy = JsonText.Clone(patch);
        foreach (var step in _steps.SkipWhile(s => s.From != from))
        {
            step.ApplyToPatch(copy);
        }

        return copy;
    }

    public override string ToString() => IsEmpty ? $"{Kind.Name}: no migrations" : $"{Kind.Name}: {string.Join(" → ", Versions)}";
}
