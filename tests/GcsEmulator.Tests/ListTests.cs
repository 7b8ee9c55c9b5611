using System.Net;
using EccoStudio.Testing;
using Google.Apis.Storage.v1.Data;
using Google.Cloud.Storage.V1;

namespace EccoStudio.GcsEmulator.Tests;

public sealed class ListTests(GcsEmulatorFixture fixture) : EmulatorTestBase(fixture)
{
    private async Task<string> SeedAsync(params string[] names)
    {
        var bucket = await NewBucketAsync();
        foreach (var name in names)
        {
            await PutAsync(bucket, name, name);
        }

        return bucket;
    }

    private async Task<Objects> FirstRawPageAsync(string bucket, string? prefix, ListObjectsOptions options) =>
        await Client.ListObjectsAsync(bucket, prefix, options).AsRawResponses().FirstAsync();

    [Fact]
    public async Task ListObjects_Delimiter_ReturnsItemsAndPrefixes()
    {
        var bucket = await SeedAsync("a/1", "a/2", "a/b/3", "c", "d/4");
        var page = await FirstRawPageAsync(bucket, null, new ListObjectsOptions { Delimiter = "/" });
        Assert.Equal(["c"], page.Items.Select(o => o.Name));
        Assert.Equal(["a/", "d/"], page.Prefixes);

        var inner = await FirstRawPageAsync(bucket, "a/", new ListObjectsOptions { Delimiter = "/" });
        Assert.Equal(["a/1", "a/2"], inner.Items.Select(o => o.Name));
        Assert.Equal(["a/b/"], inner.Prefixes);
    }

    [Fact]
    public async Task ListObjects_IncludeTrailingDelimiter_IncludesFolderObjects()
    {
        var bucket = await SeedAsync("f/", "f/x", "g");
        var without = await FirstRawPageAsync(bucket, null, new ListObjectsOptions { Delimiter = "/" });
        Assert.Equal(["g"], without.Items.Select(o => o.Name));
        var with = await FirstRawPageAsync(bucket, null, new ListObjectsOptions { Delimiter = "/", IncludeTrailingDelimiter = true });
        Assert.Equal(["f/", "g"], with.Items.Select(o => o.Name));
        Assert.Equal(["f/"], with.Prefixes);
    }

    [Fact]
    public async Task ListObjects_Paging_VisitsEveryObjectOnceInOrder()
    {
        var names = Enumerable.Range(0, 25).Select(i => $"p/{i:D2}").ToArray();
        var bucket = await SeedAsync(names);
        var page = await Client.ListObjectsAsync(bucket, "p/").ReadPageAsync(10);
        Assert.Equal(10, page.Count());
        Assert.NotNull(page.NextPageToken);

        var all = await Client.ListObjectsAsync(bucket, "p/", new ListObjectsOptions { PageSize = 7 }).ToListAsync();
        Assert.Equal(names, all.Select(o => o.Name));
    }

    [Fact]
    public async Task ListObjects_PageTokenStableAcrossConcurrentInserts()
    {
        var bucket = await SeedAsync("k/02", "k/04", "k/06", "k/08");
        var first = await Client.ListObjectsAsync(bucket, "k/", new ListObjectsOptions { PageSize = 2 }).ReadPageAsync(2);
        Assert.Equal(["k/02", "k/04"], first.Select(o => o.Name));
        // Inserted before and after the page boundary while paging.
        await PutAsync(bucket, "k/01", "x");
        await PutAsync(bucket, "k/05", "x");
        var rest = await Client.ListObjectsAsync(bucket, "k/", new ListObjectsOptions { PageSize = 10, PageToken = first.NextPageToken }).ReadPageAsync(10);
        Assert.Equal(["k/05", "k/06", "k/08"], rest.Select(o => o.Name));
    }

    [Fact]
    public async Task ListObjects_StartAndEndOffset_Bounded()
    {
        var bucket = await SeedAsync("a", "b", "c", "d", "e");
        var list = await Client.ListObjectsAsync(bucket, null, new ListObjectsOptions { StartOffset = "b", EndOffset = "d" }).ToListAsync();
        Assert.Equal(["b", "c"], list.Select(o => o.Name));
    }

    [Fact]
    public async Task ListObjects_MatchGlob_Filters()
    {
        var bucket = await SeedAsync("x/a.json", "x/b.txt", "x/y/c.json");
        var shallow = await Client.ListObjectsAsync(bucket, null, new ListObjectsOptions { MatchGlob = "x/*.json" }).ToListAsync();
        Assert.Equal(["x/a.json"], shallow.Select(o => o.Name));
        var deep = await Client.ListObjectsAsync(bucket, null, new ListObjectsOptions { MatchGlob = "**.json" }).ToListAsync();
        Assert.Equal(["x/a.json", "x/y/c.json"], deep.Select(o => o.Name));
    }

    [Fact]
    public async Task ListObjects_UnicodeNames_Utf8ByteOrder()
    {
        // U+FF21 (FULLWIDTH A) sorts before U+1F600 (emoji) in UTF-8 although UTF-16 ordinal puts the surrogate first.
        var bucket = await SeedAsync("z", "\U0001F600", "\uFF21", "A", "a", "é");
        var list = await Client.ListObjectsAsync(bucket).ToListAsync();
        var expected = list.Select(o => o.Name)
            .OrderBy(n => n, Comparer<string>.Create((x, y) => System.Text.Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(y))))
            .ToList();
        Assert.Equal(["A", "a", "z", "é", "\uFF21", "\U0001F600"], expected);
        Assert.Equal(expected, list.Select(o => o.Name));
    }

    [Fact]
    public async Task ListObjects_DelimiterPaging_PrefixesNotRepeated()
    {
        var bucket = await SeedAsync("a/1", "a/2", "a/3", "b/1", "c", "d/1");
        var pages = await Client.ListObjectsAsync(bucket, null, new ListObjectsOptions { Delimiter = "/", PageSize = 1 }).AsRawResponses().ToListAsync();
        var prefixes = pages.SelectMany(p => p.Prefixes ?? []).ToList();
        var items = pages.SelectMany(p => p.Items ?? []).Select(o => o.Name).ToList();
        Assert.Equal(["a/", "b/", "d/"], prefixes);
        Assert.Equal(["c"], items);
    }

    [Fact]
    public async Task ListObjects_UnknownBucket_404()
    {
        using var response = await Http.GetAsync(new Uri("storage/v1/b/no-such-bucket-here/o", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
