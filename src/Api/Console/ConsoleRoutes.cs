namespace EccoStudio.Api.Console;

/// <summary>Where the console lives: its page and assets, and its two API routes.</summary>
public static class ConsoleRoutes
{
    /// <summary>The page (<c>/ops</c>) and its assets (<c>/ops/app.js</c>, …) on the local host.</summary>
    public const string Root = "/ops";

    public const string Catalog = "api/ops/catalog";

    public const string Verify = "api/ops/verify/{env}/{entity}";
}
