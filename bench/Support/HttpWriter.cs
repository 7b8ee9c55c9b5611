using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace EccoStudio.Bench.Support;

/// <summary>A client of the local host's HTTP surface: PUT/PATCH → 202 + status URL, then polls the status URL until done.</summary>
public sealed class HttpWriter(HttpClient http)
{
    public async Task WriteAsync(string id, string body, bool patch, TimeSpan pollInterval)
    {
        using var request = new HttpRequestMessage(patch ? HttpMethod.Patch : HttpMethod.Put, new Uri($"api/{Ventures.Env}/ventures/{id}", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, patch ? "application/merge-patch+json" : "application/json"),
        };
        using var accepted = await http.SendAsync(request);
        if (accepted.StatusCode != HttpStatusCode.Accepted || accepted.Headers.Location is not { } status)
        {
            throw new InvalidOperationException($"{request.Method} {id}: {(int)accepted.StatusCode} {await accepted.Content.ReadAsStringAsync()}");
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            await Task.Delay(pollInterval);
            using var poll = await http.GetAsync(status);
            if (poll.StatusCode == HttpStatusCode.OK)
            {
                var body2 = JsonNode.Parse(await poll.Content.ReadAsStringAsync());
                var runtime = body2?["runtimeStatus"]?.GetValue<string>();
                if (runtime != "Completed")
                {
                    throw new InvalidOperationException($"{request.Method} {id} ended {runtime}: {body2?["output"]}");
                }

                return;
            }

            if (poll.StatusCode != HttpStatusCode.Accepted || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"Status of {id}: {(int)poll.StatusCode} {await poll.Content.ReadAsStringAsync()}");
            }
        }
    }
}
