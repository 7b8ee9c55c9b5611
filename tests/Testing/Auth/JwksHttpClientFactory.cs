using System.Net;
using System.Text;
using Google.Apis.Http;

namespace EccoStudio.Testing.Auth;

/// <summary>
/// A Google.Apis <see cref="HttpClientFactory"/> whose clients never leave the process: every request is answered
/// with the given key set, and the requested URLs are recorded (so a test can see the verifier fetched its keys here).
/// </summary>
public sealed class JwksHttpClientFactory(string jwks) : HttpClientFactory
{
    private readonly List<Uri> _requests = [];

    /// <summary>The key set every request is answered with.</summary>
    public string Jwks { get; } = jwks;

    public IReadOnlyList<Uri> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    protected override HttpMessageHandler CreateHandler(CreateHttpClientArgs args) => new JwksHandler(this);

    private sealed class JwksHandler(JwksHttpClientFactory owner) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (owner._requests)
            {
                owner._requests.Add(request.RequestUri!);
            }

            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(owner.Jwks, Encoding.UTF8, "application/json"),
            });
        }
    }
}
