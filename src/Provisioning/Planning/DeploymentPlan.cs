namespace EccoStudio.Provisioning.Planning;

/// <summary>Every resource's plan, in apply order (bucket first, schemas last).</summary>
public sealed record DeploymentPlan(IReadOnlyList<ResourcePlan> Resources)
{
    public int Pending => Resources.Sum(r => r.Pending);

    public IEnumerable<PlannedChange> Weakening => Resources.SelectMany(r => r.Changes.Where(c => c.Weakens && c.Kind != ChangeKind.Keep));

    public IEnumerable<string> Refusals => Resources.SelectMany(r => r.Refusals);

    public void Print(TextWriter output, bool showKept = true)
    {
        foreach (var resource in Resources)
        {
            output.WriteLine(resource.Resource);
            foreach (var change in resource.Changes.Where(c => showKept || c.Kind != ChangeKind.Keep))
            {
                output.WriteLine(change.ToString());
            }

            foreach (var refusal in resource.Refusals)
            {
                output.WriteLine($"  ! {refusal}");
            }
        }

        var all = Resources.SelectMany(r => r.Changes).ToList();
        output.WriteLine($"plan: {all.Count(c => c.Kind == ChangeKind.Add)} to add, {all.Count(c => c.Kind == ChangeKind.Change)} to change, "
            + $"{all.Count(c => c.Kind == ChangeKind.Remove)} to remove, {all.Count(c => c.Kind == ChangeKind.Keep)} unchanged");
    }
}
