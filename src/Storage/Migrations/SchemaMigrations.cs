using System.Collections.Frozen;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Envelope;

namespace EccoStudio.Storage.Migrations;

/// <summary>
/// The declared migrations of every entity kind, read once from the repo's <c>schemas/</c> folder
/// (<c>{entity}/v{to}.migration.json</c>, next to <c>v{to}.schema.json</c>), like <c>indices.json</c>: the fold is
/// code, so it ships with the code that folds (docs/schema-evolution.md). Loading checks what the fold relies on and
/// refuses the folder otherwise: each file well formed and named for its target version, both versions' schemas
/// present, one linear chain per kind that every schema version of the kind is on and that ends at the newest schema,
/// and no member name a migration takes away (rename source, removed member) produced again by a later one (so
/// reading a version-less patch through the whole chain is safe).
/// </summary>
public sealed class SchemaMigrations
{
    private readonly FrozenDictionary<string, MigrationChain> _chains;

    private SchemaMigrations(IEnumerable<MigrationChain> chains) =>
        _chains = chains.Where(c => !c.IsEmpty).ToFrozenDictionary(c => c.Kind.Name, StringComparer.Ordinal);

    /// <summary>No migrations: every kind folds as written (a storage context composed by hand in a test).</summary>
    public static SchemaMigrations None { get; } = new([]);

    /// <summary>Kinds with at least one migration.</summary>
    public IReadOnlyCollection<MigrationChain> Chains => _chains.Values;

    /// <summary>The chain of <paramref name="kind"/> (empty when it has a single version).</summary>
    public MigrationChain For(EntityKind kind) => _chains.TryGetValue(kind.Name, out var chain) ? chain : MigrationChain.Empty(kind);

    /// <summary>From migrations already parsed (tests); the chain checks of <see cref="Load"/> that need no files apply.</summary>
    public static SchemaMigrations From(IEnumerable<SchemaMigration> migrations) =>
        new(migrations.GroupBy(m => m.Kind).Select(g => Chain(g.Key, [.. g], [])));

    /// <summary>Reads and checks every <c>{entity}/v*.migration.json</c> under <paramref name="schemasFolder"/>.</summary>
    public static SchemaMigrations Load(string schemasFolder)
    {
        var chains = new List<MigrationChain>();
        foreach (var kind in EntityCatalog.All)
        {
            var folder = Path.Combine(schemasFolder, kind.Name);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            var migrations = Directory.GetFiles(folder, "v*" + SchemaMigration.FileSuffix).Order(StringComparer.Ordinal)
                .Select(file => SchemaMigration.Parse(kind, file, File.ReadAllText(file)))
                .ToList();
            if (migrations.Count == 0)
            {
                continue;
            }

            var schemaVersions = Directory.GetFiles(folder, "v*.schema.json")
                .Select(f => Path.GetFileName(f)[..^".schema.json".Length])
                .Select(v => SchemaVersion.TryParse(v, out var version) ? version : (SchemaVersion?)null)
                .OfType<SchemaVersion>()
                .ToList();
            chains.Add(Chain(kind, migrations, schemaVersions));
        }

        return new SchemaMigrations(chains);
    }

    private static MigrationChain Chain(EntityKind kind, List<SchemaMigration> migrations, List<SchemaVersion> schemaVersions)
    {
        foreach (var migration in migrations)
        {
            foreach (var version in new[] { migration.From, migration.To })
            {
                if (schemaVersions.Count > 0 && !schemaVersions.Contains(version))
                {
                    throw new SchemaMigrationException($"{kind.Name}/{SchemaMigration.FileName(migration.To)}: there is no {kind.Name}/{version.FileName}.");
                }
            }
        }

        if (migrations.GroupBy(m => m.From).FirstOrDefault(g => g.Count() > 1) is { } fork)
        {
            throw new SchemaMigrationException($"{kind.Name}: {fork.Count()} migrations start at {fork.Key}; a kind's versions form one line.");
        }

        var targets = migrations.Select(m => m.To).ToHashSet();
        var roots = migrations.Where(m => !targets.Contains(m.From)).ToList();
        if (roots.Count != 1)
        {
            throw new SchemaMigrationException($"{kind.Name}: the migrations do not form one chain (they start at {string.Join(", ", roots.Select(r => r.From))}).");
        }

        var ordered = new List<SchemaMigration>();
        for (var next = roots[0]; next is not null; next = migrations.FirstOrDefault(m => m.From == next.To))
        {
            ordered.Add(next);
        }

        if (ordered.Count != migrations.Count)
        {
            throw new SchemaMigrationException($"{kind.Name}: the migrations do not form one chain (a cycle, or a step that leads nowhere).");
        }

        var chain = new MigrationChain(kind, ordered);
        if (schemaVersions.Where(v => !chain.Knows(v)).Order().Take(1).ToList() is [var stray])
        {
            throw new SchemaMigrationException($"{kind.Name}/{stray.FileName}: no migration leads from or to {stray} (every version of a kind with migrations is on its chain).");
        }

        if (schemaVersions.Count > 0 && schemaVersions.Max() != chain.Latest)
        {
            throw new SchemaMigrationException($"{kind.Name}: the newest schema is {schemaVersions.Max()} but the migrations end at {chain.Latest}.");
        }

        for (var i = 0; i < ordered.Count; i++)
        {
            foreach (var consumed in ordered[i].Operations.SelectMany(o => o.Consumes))
            {
                if (ordered.Skip(i + 1).SelectMany(m => m.Operations.SelectMany(o => o.Produces.Select(p => (m, p))))
                    .FirstOrDefault(x => x.p == consumed) is { m: not null } reuse)
                {
                    throw new SchemaMigrationException(
                        $"{kind.Name}/{SchemaMigration.FileName(reuse.m.To)}: produces {consumed}, which {SchemaMigration.FileName(ordered[i].To)} took away; a member name is never reused.");
                }
            }
        }

        return chain;
    }
}
