namespace EccoStudio.Api.Bridge;

/// <summary>
/// Where Google's token-signing keys are fetched from. Default (null factory): Google's published keys. Tests register
/// one whose HTTP handler serves their own JWKS, so a locally signed RS256 token verifies through the same code path.
/// </summary>
public sealed record GoogleKeySource(Google.Apis.Http.IHttpClientFactory? HttpClientFactory)
{
    public static GoogleKeySource Google { get; } = new((Google.Apis.Http.IHttpClientFactory?)null);
}
