using System.Collections.Frozen;

namespace EccoStudio.Storage.Catalog;

/// <summary>All entity kinds of spec §3.2 plus <c>dataroom</c> (§3, §16), with their prefixes.</summary>
public static class EntityCatalog
{
    public static readonly EntityKind Idea = new("idea", "ideas");
    public static readonly EntityKind Venture = new("venture", "ventures");
    public static readonly EntityKind Resource = new("resource", "resources");
    public static readonly EntityKind Budget = new("budget", "budgets");
    public static readonly EntityKind Kpi = new("kpi", "kpis");
    public static readonly EntityKind Investor = new("investor", "investors");
    public static readonly EntityKind Partner = new("partner", "partners");
    public static readonly EntityKind Service = new("service", "services");
    public static readonly EntityKind Talent = new("talent", "talent");
    public static readonly EntityKind Experiment = new("experiment", "experiments");
    public static readonly EntityKind Round = new("round", "rounds");
    public static readonly EntityKind CapTable = new("cap_table", "cap_tables");
    public static readonly EntityKind Playbook = new("playbook", "playbooks");
    public static readonly EntityKind Rule = new("rule", "rules");
    public static readonly EntityKind Benchmark = new("benchmark", "benchmarks");
    public static readonly EntityKind Report = new("report", "reports");
    public static readonly EntityKind Model = new("model", "models");
    public static readonly EntityKind Simulation = new("simulation", "simulations");

    /// <summary>Virtual data room metadata: the spec lists <c>dataroom/</c> but its envelope enum lacks it; added here.</summary>
    public static readonly EntityKind Dataroom = new("dataroom", "dataroom", InSpecEnvelopeEnum: false);

    public static IReadOnlyList<EntityKind> All { get; } =
    [
        Idea, Venture, Resource, Budget, Kpi, Investor, Partner, Service, Talent, Experiment,
        Round, CapTable, Playbook, Rule, Benchmark, Report, Model, Simulation, Dataroom,
    ];

    private static readonly FrozenDictionary<string, EntityKind> ByName =
        All.ToFrozenDictionary(k => k.Name, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, EntityKind> ByPrefix =
        All.ToFrozenDictionary(k => k.Prefix, StringComparer.Ordinal);

    public static bool TryGet(string? name, out EntityKind kind)
    {
        if (name is not null && ByName.TryGetValue(name, out var found))
        {
            kind = found;
            return true;
        }

        kind = null!;
        return false;
    }

    /// <summary>The kind named <paramref name="name"/> (envelope value), or <see cref="UnknownEntityException"/>.</summary>
    public static EntityKind Get(string name) =>
        TryGet(name, out var kind) ? kind : throw new UnknownEntityException(name);

    public static bool TryGetByPrefix(string? prefix, out EntityKind kind)
    {
        if (prefix is not null && ByPrefix.TryGetValue(prefix, out var found))
        {
            kind = found;
            return true;
        }

        kind = null!;
        return false;
    }

    public static EntityKind GetByPrefix(string prefix) =>
        TryGetByPrefix(prefix, out var kind) ? kind : throw new UnknownEntityException(prefix);
}
