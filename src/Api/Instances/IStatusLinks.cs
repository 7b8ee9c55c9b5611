namespace EccoStudio.Api.Instances;

/// <summary>Builds the check-status payload of an instance (the host knows its own base URL and management API).</summary>
public interface IStatusLinks
{
    CheckStatusPayload Create(string instanceId);
}
