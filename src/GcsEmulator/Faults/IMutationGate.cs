namespace EccoStudio.GcsEmulator.Faults;

/// <summary>
/// Asked by the store before every mutation of one object name (insert, overwrite, patch, delete, copy/rewrite
/// destination, compose destination). Returning false makes the store answer 429 (rateLimitExceeded), as GCS does
/// past its limit of about one mutation per second per object name.
/// </summary>
public interface IMutationGate
{
    bool TryAcquire(string bucket, string objectName);
}
