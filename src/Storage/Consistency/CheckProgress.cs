namespace EccoStudio.Storage.Consistency;

/// <summary>Where a running check is: the entity kind and pass, entities checked so far, drifted so far.</summary>
public sealed record CheckProgress(string Entity, string Pass, long EntitiesChecked, long DriftedEntities);
