namespace EccoStudio.GcsEmulator.Model;

/// <summary>The four generation/metageneration preconditions of a request (or of a copy source).</summary>
public sealed record Preconditions(
    long? IfGenerationMatch = null,
    long? IfGenerationNotMatch = null,
    long? IfMetagenerationMatch = null,
    long? IfMetagenerationNotMatch = null)
{
    public static Preconditions None { get; } = new();

    public bool IsEmpty =>
        IfGenerationMatch is null && IfGenerationNotMatch is null && IfMetagenerationMatch is null && IfMetagenerationNotMatch is null;
}
