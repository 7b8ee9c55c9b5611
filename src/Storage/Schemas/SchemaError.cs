namespace EccoStudio.Storage.Schemas;

/// <summary>One validation failure: where in the instance (JSON pointer), which keyword, and the message.</summary>
public sealed record SchemaError(string InstancePointer, string Keyword, string Message)
{
    public override string ToString() => $"{(InstancePointer.Length == 0 ? "/" : InstancePointer)}: {Message} ({Keyword})";
}
