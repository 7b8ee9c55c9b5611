namespace EccoStudio.Storage.Analytics;

/// <summary>One BigQuery column: its name and standard SQL type (<c>STRUCT&lt;…&gt;</c> = RECORD, <c>ARRAY&lt;…&gt;</c> = REPEATED).</summary>
public sealed record BigQueryColumn(string Name, string Type);
