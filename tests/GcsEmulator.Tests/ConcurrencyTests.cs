using System.Net;
using EccoStudio.Testing;
using Google;
using Google.Cloud.Storage.V1;

namespace EccoStudio.GcsEmulator.Tests;

public sealed class ConcurrencyTests(GcsEmulatorFixture fixture) : EmulatorTestBase(fixture)
{
    [Fact]
    public async Task UploadObject_32ParallelCreateOnlyWriters_ExactlyOneWinsRest412()
    {
        var bucket = await NewBucketAsync();
        var writers = Enumerable.Range(0, 32).Select(async i =>
        {
            try
            {
                var o = await PutAsync(bucket, "contended", $"writer-{i}", new UploadObjectOptions { IfGenerationMatch = 0 });
                return (Status: HttpStatusCode.OK, Body: $"writer-{i}", Generation: o.Generation);
            }
            catch (GoogleApiException e)
            {
                return (Status: e.HttpStatusCode, Body: string.Empty, Generation: (long?)null);
            }
        });
        var results = await Task.WhenAll(writers);

        Assert.Single(results, r => r.Status == HttpStatusCode.OK);
        Assert.Equal(31, results.Count(r => r.Status == HttpStatusCode.PreconditionFailed));
        var winner = results.Single(r => r.Status == HttpStatusCode.OK);
        Assert.Equal(winner.Body, await ReadAsync(bucket, "contended"));
        Assert.Equal(winner.Generation, (await Client.GetObjectAsync(bucket, "contended")).Generation);
    }

    [Fact]
    public async Task UploadObject_ParallelOverwritesWithGenerationMatch_EachGenerationWonOnce()
    {
        var bucket = await NewBucketAsync();
        var first = await PutAsync(bucket, "cas", "0");
        var generation = first.Generation!.Value;
        var successes = 0;
        // 8 rounds of 8 contenders doing compare-and-swap on the generation they read.
        for (var round = 0; round < 8; round++)
        {
            var expected = generation;
            var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
            {
                try
                {
                    var o = await PutAsync(bucket, "cas", $"{round}-{i}", new UploadObjectOptions { IfGenerationMatch = expected });
                    return o.Generation;
                }
                catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.PreconditionFailed)
                {
                    return null;
                }
            }));
            var won = Assert.Single(attempts, g => g is not null);
            Assert.True(won > generation);
            generation = won!.Value;
            successes++;
        }

        Assert.Equal(8, successes);
        Assert.Equal(generation, (await Client.GetObjectAsync(bucket, "cas")).Generation);
    }

    [Fact]
    public async Task UploadObject_ManyParallelNames_GenerationsUniqueAndAllListed()
    {
        var bucket = await NewBucketAsync();
        var objects = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => PutAsync(bucket, $"n/{i:D3}", i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Equal(100, objects.Select(o => o.Generation).Distinct().Count());
        var listed = await Client.ListObjectsAsync(bucket, "n/").ToListAsync();
        Assert.Equal(objects.Select(o => o.Name).Order(StringComparer.Ordinal), listed.Select(o => o.Name));
    }
}
