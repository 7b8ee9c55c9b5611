namespace EccoStudio.GcsEmulator.Store;

/// <summary>
/// Orders strings by Unicode code point, which is the UTF-8 byte order GCS lists in. Plain UTF-16 ordinal
/// order differs only between surrogate pairs and BMP characters U+E000..U+FFFF; this comparer fixes that.
/// </summary>
public sealed class ObjectNameComparer : IComparer<string>
{
    public static ObjectNameComparer Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        var n = Math.Min(x.Length, y.Length);
        for (var i = 0; i < n; i++)
        {
            var a = x[i];
            var b = y[i];
            if (a != b)
            {
                return Fix(a) - Fix(b);
            }
        }

        return x.Length - y.Length;
    }

    private static int Fix(char c) => c < 0xD800 ? c : c >= 0xE000 ? c - 0x800 : c + 0x2000;
}
