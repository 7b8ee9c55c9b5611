-- venture: schema versions 1.0.0, 1.1.0
CREATE OR REPLACE EXTERNAL TABLE `ecco-analytics.studio.dev_venture_snapshots` (
  `id` STRING,
  `entity` STRING,
  `env` STRING,
  `schema_version` STRING,
  `created_at` TIMESTAMP,
  `updated_at` TIMESTAMP,
  `title` STRING,
  `lead` STRING,
  `status` STRING,
  `milestones` ARRAY<STRUCT<`milestoneId` STRING, `title` STRING, `dueDate` DATE, `status` STRING>>,
  `budget` STRUCT<`plannedUSD` FLOAT64, `spentUSD` FLOAT64>,
  `reportingCurrency` STRING,
  `kpis` JSON,
  `risks` ARRAY<STRUCT<`riskId` STRING, `description` STRING, `severity` STRING, `mitigation` STRING>>,
  `tasks` ARRAY<STRUCT<`system` STRING, `ref` STRING, `url` STRING>>,
  `ideaId` STRING,
  `partnerIds` ARRAY<STRING>,
  `name` STRING
)
OPTIONS (
  format = 'NEWLINE_DELIMITED_JSON',
  uris = ['gs://ecco-studio-platform-data/env/dev/snapshots/ventures/*.json'],
  ignore_unknown_values = true
);

CREATE OR REPLACE EXTERNAL TABLE `ecco-analytics.studio.dev_venture_history` (
  `id` STRING,
  `entity` STRING,
  `env` STRING,
  `schema_version` STRING,
  `created_at` TIMESTAMP,
  `updated_at` TIMESTAMP,
  `title` STRING,
  `lead` STRING,
  `status` STRING,
  `milestones` ARRAY<STRUCT<`milestoneId` STRING, `title` STRING, `dueDate` DATE, `status` STRING>>,
  `budget` STRUCT<`plannedUSD` FLOAT64, `spentUSD` FLOAT64>,
  `reportingCurrency` STRING,
  `kpis` JSON,
  `risks` ARRAY<STRUCT<`riskId` STRING, `description` STRING, `severity` STRING, `mitigation` STRING>>,
  `tasks` ARRAY<STRUCT<`system` STRING, `ref` STRING, `url` STRING>>,
  `ideaId` STRING,
  `partnerIds` ARRAY<STRING>,
  `name` STRING,
  `_change` STRING,
  `_compensates` STRING
)
OPTIONS (
  format = 'NEWLINE_DELIMITED_JSON',
  uris = ['gs://ecco-studio-platform-data/env/dev/ventures/*'],
  ignore_unknown_values = true
);

CREATE OR REPLACE VIEW `ecco-analytics.studio.dev_venture` AS
SELECT `id`, `entity`, `env`, `schema_version`, `created_at`, `updated_at`, `name` AS `title`, `lead`, `status`, `milestones`, `budget`, 'USD' AS `reportingCurrency`, `kpis`, `risks`, `tasks`, `ideaId`, `partnerIds`
FROM `ecco-analytics.studio.dev_venture_snapshots` WHERE `schema_version` = '1.0.0'
UNION ALL
SELECT `id`, `entity`, `env`, `schema_version`, `created_at`, `updated_at`, `title`, `lead`, `status`, `milestones`, `budget`, `reportingCurrency`, `kpis`, `risks`, `tasks`, `ideaId`, `partnerIds`
FROM `ecco-analytics.studio.dev_venture_snapshots` WHERE `schema_version` = '1.1.0'
;

CREATE OR REPLACE VIEW `ecco-analytics.studio.dev_venture_history_latest` AS
SELECT * EXCEPT (_rank) FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY `id` ORDER BY `updated_at` DESC, _FILE_NAME DESC) AS _rank
  FROM `ecco-analytics.studio.dev_venture_history`
  WHERE `_change` IS NULL OR `_change` = 'full'
) WHERE _rank = 1;
