using EccoStudio.GcsEmulator.Model;

namespace EccoStudio.GcsEmulator.Store;

/// <summary>The live generation and the noncurrent generations (ascending) of one object name.</summary>
internal sealed class ObjectSlot
{
    public ObjectMeta? Live { get; set; }

    public List<ObjectMeta> Noncurrent { get; } = [];

    public bool IsEmpty => Live is null && Noncurrent.Count == 0;

    public ObjectMeta? Find(long generation) =>
        Live is { } live && live.Generation == generation ? live : Noncurrent.Find(m => m.Generation == generation);
}

/// <summary>One bucket's index: names in list order plus a slot per name; guarded by <see cref="Sync"/>.</summary>
internal sealed class BucketState(BucketMeta meta)
{
    private readonly List<string> _names = [];
    private readonly Dictionary<string, ObjectSlot> _slots = new(StringComparer.Ordinal);

    public Lock Sync { get; } = new();

    public BucketMeta Meta { get; set; } = meta;

    public bool Deleted { get; set; }

    public IReadOnlyList<string> Names => _names;

    public bool IsEmpty => _slots.Count == 0;

    public ObjectSlot? Slot(string name) => _slots.GetValueOrDefault(name);

    public ObjectSlot GetOrAddSlot(string name)
    {
        if (!_slots.TryGetValue(name, out var slot))
        {
            slot = new ObjectSlot();
            _slots.Add(name, slot);
            _names.Insert(LowerBound(name), name);
        }

        return slot;
    }

    public void RemoveIfEmpty(string name)
    {
        if (_slots.TryGetValue(name, out var slot) && slot.IsEmpty)
        {
            _slots.Remove(name);
            var i = _names.BinarySearch(name, ObjectNameComparer.Instance);
            if (i >= 0)
            {
                _names.RemoveAt(i);
            }
        }
    }

    public void Clear()
    {
        _names.Clear();
        _slots.Clear();
    }

    /// <summary>Index of the first name not ordered before <paramref name="key"/>.</summary>
    public int LowerBound(string key)
    {
        var i = _names.BinarySearch(key, ObjectNameComparer.Instance);
        return i >= 0 ? i : ~i;
    }
}
