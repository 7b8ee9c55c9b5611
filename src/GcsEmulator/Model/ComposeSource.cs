namespace EccoStudio.GcsEmulator.Model;

/// <summary>One source of objects.compose.</summary>
public sealed record ComposeSource(string Name, long? Generation, long? IfGenerationMatch);
