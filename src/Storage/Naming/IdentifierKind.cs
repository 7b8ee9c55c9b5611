namespace EccoStudio.Storage.Naming;

/// <summary>What an identifier names; used in errors.</summary>
public enum IdentifierKind
{
    Id,
    IndexKey,
    Environment,
    Ulid,
}
