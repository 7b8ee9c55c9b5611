using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Recovery;

/// <summary>
/// The plan for one object name: <paramref name="AsOf"/> is the generation live at T (null: none), <paramref name="Live"/>
/// the generation live now (null: none).
/// </summary>
public sealed record RestoreStep(ParsedObjectName Parsed, RestoreAction Action, StoredObjectInfo? AsOf, StoredObjectInfo? Live)
{
    public string Name => Parsed.Name;

    /// <summary>What the plan counts this object under: the entity kind's name, or <c>schemas</c>.</summary>
    public string Group => Parsed.Category == ObjectCategory.Schema ? "schemas" : Parsed.Kind?.Name ?? Parsed.Category.ToString().ToLowerInvariant();
}
