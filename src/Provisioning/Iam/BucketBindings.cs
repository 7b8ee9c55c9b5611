using EccoStudio.Provisioning.Config;
using EccoStudio.Storage.Layout;
using Binding = Google.Apis.Storage.v1.Data.Policy.BindingsData;
using Expr = Google.Apis.Storage.v1.Data.Expr;

namespace EccoStudio.Provisioning.Iam;

/// <summary>
/// The bucket policy the config declares (spec §7; every permission is explained in docs/operations.md "IAM"):
/// the writer may create and read anywhere (history is append-only: creating with ifGenerationMatch=0 needs no
/// delete), and overwrite/delete only derived objects (snapshots, manifests, indices, logs, tmp) through a
/// condition on <c>resource.name</c>; readers read; investors read <c>env/{investorEnv}/snapshots/</c> only.
/// </summary>
public static class BucketBindings
{
    public const string ObjectViewer = "roles/storage.objectViewer";
    public const string ObjectCreator = "roles/storage.objectCreator";
    public const string ObjectUser = "roles/storage.objectUser";

    /// <summary>Folders under <c>env/{env}/</c> whose objects the write path overwrites or deletes (derived state).</summary>
    private static readonly string[] DerivedFolders = ["snapshots/", "manifests/", "indices/", "logs/", "tmp/"];

    public static IReadOnlyList<Binding> Desired(DeploymentTarget target)
    {
        var iam = target.Config.Iam;
        var bindings = new List<Binding>();
        void Add(string role, IEnumerable<string> members, Expr? condition = null)
        {
            var list = members.Distinct(StringComparer.Ordinal).ToList();
            if (list.Count == 0)
            {
                return;
            }

            var same = bindings.FirstOrDefault(b => b.Role == role && ConditionKey(b.Condition) == ConditionKey(condition));
            if (same is null)
            {
                bindings.Add(new Binding { Role = role, Members = list, Condition = condition });
            }
            else
            {
                same.Members = same.Members.Union(list, StringComparer.Ordinal).ToList();
            }
        }

        if (iam.Writer is { } writer)
        {
            Add(ObjectCreator, [writer]);
            Add(ObjectViewer, [writer]);
            var derived = target.Config.Environments
                .SelectMany(env => DerivedFolders.Select(folder => ObjectPaths.EnvRoot(env) + folder))
                .Select(prefix => $"resource.name.startsWith(\"{target.ObjectResource(prefix)}\")");
            Add(ObjectUser, [writer], new Expr
            {
                Title = "DerivedObjectsOnly",
                Description = "Overwrite and delete only derived objects; history stays append-only.",
                Expression = string.Join(" || ", derived),
            });
        }

        Add(ObjectViewer, iam.Readers);
        Add(ObjectViewer, iam.Investors, new Expr
        {
            Title = "SnapshotsOnly",
            Expression = $"resource.name.startsWith(\"{target.ObjectResource(ObjectPaths.EnvRoot(iam.InvestorEnv) + "snapshots/")}\")",
        });
        foreach (var extra in iam.AdditionalBindings)
        {
            Add(extra.Role, extra.Members, extra.Condition is null ? null
                : new Expr { Title = extra.Condition.Title, Description = extra.Condition.Description, Expression = extra.Condition.Expression });
        }

        return bindings;
    }

    /// <summary>A binding's identity: role plus condition (title and expression).</summary>
    public static string Key(Binding binding) =>
        binding.Role + (binding.Condition is null ? "" : $" if {binding.Condition.Title}: {binding.Condition.Expression}");

    private static string ConditionKey(Expr? condition) => condition is null ? "" : condition.Title + "\n" + condition.Expression;
}
