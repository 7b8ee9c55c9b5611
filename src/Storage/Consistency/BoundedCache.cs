using System.Collections.Concurrent;

namespace EccoStudio.Storage.Consistency;

/// <summary>A thread-safe map that forgets its oldest entries beyond a capacity (keeps a check's memory bounded).</summary>
internal sealed class BoundedCache<TValue>(int capacity)
{
    private readonly ConcurrentDictionary<string, TValue> _items = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public void Set(string key, TValue value)
    {
        if (_items.TryAdd(key, value))
        {
            _order.Enqueue(key);
            while (_items.Count > capacity && _order.TryDequeue(out var oldest))
            {
                _items.TryRemove(oldest, out _);
            }
        }
        else
        {
            _items[key] = value;
        }
    }

    public bool TryGet(string key, out TValue value) => _items.TryGetValue(key, out value!);
}
