using EccoStudio.Testing;

namespace EccoStudio.GcsEmulator.Tests;

/// <summary>
/// Runs Conformance/storage-client.js once against a fresh emulator: Google's Node.js client with its defaults and
/// STORAGE_EMULATOR_HOST=http://host:port (no /storage/v1 prefix on its calls; resumable uploads with
/// <c>bytes 0-*/*</c>, <c>bytes 0-*/N</c>, chunked with and without the final size, status queries).
/// </summary>
public sealed class NodeStorageClientRun : GcsEmulatorFixture, IAsyncLifetime
{
    public NodeScriptResult Result { get; private set; } = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        await base.InitializeAsync();
        Result = await NodeScript.RunAsync(
            "tests/GcsEmulator.Tests/Conformance/storage-client.js",
            new Dictionary<string, string>
            {
                ["STORAGE_EMULATOR_HOST"] = $"http://{StorageEmulatorHost}",
                ["GCS_PROJECT"] = ProjectId,
            },
            TimeSpan.FromMinutes(3));
    }
}

public sealed class NodeStorageClientConformanceTests(NodeStorageClientRun run) : IClassFixture<NodeStorageClientRun>
{
    private static readonly string[] CaseNames =
    [
        "save_defaultResumable",
        "save_multipart",
        "save_emptyObject",
        "createWriteStream_knownSize",
        "createWriteStream_chunkedUnknownSize",
        "createWriteStream_chunkedExactMultiple",
        "createWriteStream_chunkedKnownSize",
        "createResumableUpload_thenWrite",
        "save_ifGenerationMatchZero_refusesExisting",
        "save_ifGenerationMatch_replacesThatGenerationOnly",
        "download_rangeAndValidation",
        "download_gzipStored_decompressed",
        "download_missing_404",
        "getFiles_prefixDelimiterPaging",
        "metadata_setAndGet",
        "copyMoveRenameCompose",
        "delete_withPreconditions",
        "bucket_metadataAndVersions",
        "createReadStream_piped",
    ];

    public static TheoryData<string> Cases => new(CaseNames);

    [Theory]
    [MemberData(nameof(Cases))]
    public void NodeClient_DefaultOptionsCase_Succeeds(string name)
    {
        var result = run.Result.Cases.FirstOrDefault(c => c.Case == name);
        Assert.True(result is not null, $"case {name} did not run: {run.Result}");
        Assert.True(result.Ok, $"{name}: {result.Error}");
    }

    [Fact]
    public void NodeClient_Script_RanEveryListedCaseAndExitedZero()
    {
        var listed = CaseNames.Order(StringComparer.Ordinal);
        Assert.Equal(listed, run.Result.Cases.Select(c => c.Case).Order(StringComparer.Ordinal));
        Assert.True(run.Result.ExitCode == 0, run.Result.ToString());
    }
}
