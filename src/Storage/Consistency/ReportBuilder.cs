using EccoStudio.Storage.Layout;

namespace EccoStudio.Storage.Consistency;

/// <summary>Thread-safe accumulation of a check's counts and differences.</summary>
internal sealed class ReportBuilder(string env, IReadOnlyList<string> entities, ConsistencyCheckOptions options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<DriftKind, long> _counts = Enum.GetValues<DriftKind>().ToDictionary(k => k, _ => 0L);
    private readonly List<Drift> _first = [];
    private readonly List<EntityTarget> _drifted = [];
    private readonly HashSet<EntityTarget> _driftedSet = [];
    private long _driftedCount;
    private long _entities;
    private long _history;
    private long _snapshots;
    private long _entries;
    private long _pointers;

    public long EntitiesChecked => Interlocked.Read(ref _entities);

    public long DriftedCount
    {
        get
        {
            lock (_gate)
            {
                return _driftedCount;
            }
        }
    }

    public void Entity(int historyRecords)
    {
        Interlocked.Increment(ref _entities);
        Interlocked.Add(ref _history, historyRecords);
    }

    public void Snapshot() => Interlocked.Increment(ref _snapshots);

    public void Entry() => Interlocked.Increment(ref _entries);

    public void Pointer() => Interlocked.Increment(ref _pointers);

    public void Add(EntityTarget target, DriftKind kind, string objectName, string detail)
    {
        lock (_gate)
        {
            _counts[kind]++;
            if (_first.Count < options.MaxReportedDifferences)
            {
                _first.Add(new Drift(target.Env, target.Kind.Name, target.Id, kind, objectName, detail));
            }

            if (_driftedSet.Contains(target))
            {
                return;
            }

            _driftedCount++;
            if (_drifted.Count < options.MaxTrackedDriftedEntities)
            {
                _driftedSet.Add(target);
                _drifted.Add(target);
            }
        }
    }

    public ConsistencyReport Build()
    {
        lock (_gate)
        {
            return new ConsistencyReport
            {
                Env = env,
                Entities = entities,
                EntitiesChecked = _entities,
                HistoryRecordsRead = _history,
                SnapshotsChecked = _snapshots,
                ManifestEntriesChecked = _entries,
                PointersChecked = _pointers,
                DriftCounts = new Dictionary<DriftKind, long>(_counts),
                FirstDifferences = [.. _first],
                DriftedEntities = [.. _drifted],
                DriftedEntityCount = _driftedCount,
            };
        }
    }
}
