using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Envelope;

namespace EccoStudio.Storage.Schemas;

/// <summary>Where schema texts come from (GCS <c>env/{env}/schemas/</c>, or the repo's <c>schemas/</c> folder).</summary>
public interface ISchemaSource
{
    /// <summary>The schema text, or null when none is published for that version.</summary>
    Task<string?> TryLoadAsync(string env, EntityKind kind, SchemaVersion version, CancellationToken cancellationToken);
}
