using System.Text.Json.Nodes;

namespace EccoStudio.Reliability.Tests.Support;

/// <summary>One local host for the corpus, with venture SEED1 and cap table CT1 written (PATCH cases reach the schema).</summary>
public sealed class CorpusHostFixture : IAsyncLifetime
{
    public LocalHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await LocalHost.StartAsync();
        using var venture = await Host.Http.PutAsync(new Uri(HttpCorpus.Venture + "SEED1", UriKind.Relative), LocalHost.Json(HttpCorpus.ValidVenture("SEED1")));
        using var cap = await Host.Http.PutAsync(new Uri(HttpCorpus.CapTables + "CT1", UriKind.Relative), LocalHost.Json(HttpCorpus.ValidCapTable("CT1")));
        var ids = new List<string>();
        foreach (var response in new[] { venture, cap })
        {
            if ((int)response.StatusCode != 202)
            {
                throw new InvalidOperationException($"seeding failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            ids.Add(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
        }

        await Instances.WaitAllAsync(Host.Client, ids, TimeSpan.FromMinutes(1));
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
