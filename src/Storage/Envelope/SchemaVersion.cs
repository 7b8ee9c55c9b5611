using System.Globalization;

namespace EccoStudio.Storage.Envelope;

/// <summary>
/// <c>MAJOR.MINOR.PATCH</c>. Parsing accepts <c>1.0.0</c> and <c>v1.0.0</c> (the §12.1 example); the stored
/// (normalised) form is without the <c>v</c>: <c>1.0.0</c>, as §3.2 shows. Schema files are <c>v1.0.0.schema.json</c>.
/// </summary>
public readonly record struct SchemaVersion(int Major, int Minor, int Patch) : IComparable<SchemaVersion>
{
    public static SchemaVersion V1 { get; } = new(1, 0, 0);

    public static bool operator <(SchemaVersion left, SchemaVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(SchemaVersion left, SchemaVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(SchemaVersion left, SchemaVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(SchemaVersion left, SchemaVersion right) => left.CompareTo(right) >= 0;

    public string FileName => $"v{this}.schema.json";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}");

    public int CompareTo(SchemaVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major)
        : Minor != other.Minor ? Minor.CompareTo(other.Minor)
        : Patch.CompareTo(other.Patch);

    public static bool TryParse(string? text, out SchemaVersion version)
    {
        version = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var body = text[0] == 'v' ? text[1..] : text;
        var parts = body.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }

        var numbers = new int[3];
        for (var i = 0; i < 3; i++)
        {
            var part = parts[i];
            if (part.Length == 0 || part.Length > 6 || !part.All(char.IsAsciiDigit) || (part.Length > 1 && part[0] == '0'))
            {
                return false;
            }

            numbers[i] = int.Parse(part, CultureInfo.InvariantCulture);
        }

        version = new SchemaVersion(numbers[0], numbers[1], numbers[2]);
        return true;
    }

    public static SchemaVersion Parse(string text) =>
        TryParse(text, out var v) ? v : throw new FormatException($"Not a schema version: '{text}'.");
}
