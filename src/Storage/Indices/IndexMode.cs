namespace EccoStudio.Storage.Indices;

/// <summary>Multi: <c>{index}/{key}/{id}.json</c>, one pointer per entity. Latest: <c>{index}/{key}.json</c>, the latest entity only.</summary>
public enum IndexMode
{
    Multi,
    Latest,
}
