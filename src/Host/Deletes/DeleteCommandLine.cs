using System.CommandLine;
using EccoStudio.Host.Erasure;
using EccoStudio.Host.Verify;

namespace EccoStudio.Host.Deletes;

/// <summary>
/// <c>delete --env dev --entity ventures --id V001 [--if-match GENERATION] [--by NAME] [--gcs URL|production]
/// [--bucket NAME] [--schemas DIR]</c> → <see cref="DeleteSettings"/>. Entity, id and author options are erase's; env,
/// GCS, bucket and schemas are verify's.
/// </summary>
public static class DeleteCommandLine
{
    public static Option<long?> IfMatch { get; } = VerifyCommandLine.Checked(
        new Option<long?>("--if-match") { Description = "Delete only while the snapshot is at this generation (the ETag of a read)" },
        value => value is null or > 0 ? null : "--if-match must be a positive generation (the ETag of a read, without quotes).");

    public static Command Create(Func<DeleteSettings, CancellationToken, Task<int>> run)
    {
        var command = new Command("delete", "Delete one entity as DELETE /api/{env}/{entity}/{id} does: a tombstone in history, snapshot, manifest entry and pointers removed")
        {
            VerifyCommandLine.Env, EraseCommandLine.Entity, EraseCommandLine.Id, IfMatch, EraseCommandLine.By,
            VerifyCommandLine.Gcs, VerifyCommandLine.Bucket, VerifyCommandLine.Schemas,
        };
        command.SetAction((result, cancellationToken) => run(ToSettings(result), cancellationToken));
        return command;
    }

    public static DeleteSettings ToSettings(ParseResult result)
    {
        var gcs = result.GetValue(VerifyCommandLine.Gcs) ?? "http://127.0.0.1:4443/";
        return new DeleteSettings
        {
            Env = result.GetValue(VerifyCommandLine.Env) ?? "dev",
            Entity = VerifyCommandLine.TryKind(result.GetValue(EraseCommandLine.Entity)!)!.Name,
            Id = result.GetValue(EraseCommandLine.Id)!,
            IfMatch = result.GetValue(IfMatch),
            DeletedBy = result.GetValue(EraseCommandLine.By) ?? Environment.UserName,
            Gcs = gcs == "production" ? null : new Uri(gcs.EndsWith('/') ? gcs : gcs + "/"),
            Bucket = result.GetValue(VerifyCommandLine.Bucket) ?? Storage.Layout.StorageLayoutOptions.DefaultBucket,
            SchemasFolder = result.GetValue(VerifyCommandLine.Schemas),
        };
    }
}
