namespace EccoStudio.Reliability.Tests.Support;

/// <summary>One hostile HTTP request: method, path (already escaped as sent), body bytes, content type, extra headers.</summary>
public sealed record BadInputCase(string Name, string Method, string Path, byte[]? Body, string? ContentType = "application/json",
    IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <summary>Kestrel refuses the request line itself (e.g. an encoded NUL in the path): a bare 400 before any app code runs.</summary>
    public bool RejectedByServer { get; init; }

    public override string ToString() => Name;
}
