-- idea: schema versions 1.0.0
CREATE OR REPLACE EXTERNAL TABLE `ecco-analytics.studio.dev_idea_snapshots` (
  `id` STRING,
  `entity` STRING,
  `env` STRING,
  `schema_version` STRING,
  `created_at` TIMESTAMP,
  `updated_at` TIMESTAMP,
  `theme` STRING,
  `title` STRING,
  `problem` STRING,
  `market` STRING,
  `team` STRING,
  `tech` STRING,
  `description` STRING,
  `status` STRING,
  `stage` STRING,
  `stage_owner` STRING,
  `stage_due_date` TIMESTAMP,
  `created_by` STRING,
  `tags` ARRAY<STRING>,
  `attachments` ARRAY<STRING>,
  `score` STRUCT<`overall` FLOAT64, `market` FLOAT64, `team` FLOAT64, `tech` FLOAT64, `timing` FLOAT64, `notes` STRING>,
  `experimentIds` ARRAY<STRING>
)
OPTIONS (
  format = 'NEWLINE_DELIMITED_JSON',
  uris = ['gs://ecco-studio-platform-data/env/dev/snapshots/ideas/*.json'],
  ignore_unknown_values = true
);

CREATE OR REPLACE EXTERNAL TABLE `ecco-analytics.studio.dev_idea_history` (
  `id` STRING,
  `entity` STRING,
  `env` STRING,
  `schema_version` STRING,
  `created_at` TIMESTAMP,
  `updated_at` TIMESTAMP,
  `theme` STRING,
  `title` STRING,
  `problem` STRING,
  `market` STRING,
  `team` STRING,
  `tech` STRING,
  `description` STRING,
  `status` STRING,
  `stage` STRING,
  `stage_owner` STRING,
  `stage_due_date` TIMESTAMP,
  `created_by` STRING,
  `tags` ARRAY<STRING>,
  `attachments` ARRAY<STRING>,
  `score` STRUCT<`overall` FLOAT64, `market` FLOAT64, `team` FLOAT64, `tech` FLOAT64, `timing` FLOAT64, `notes` STRING>,
  `experimentIds` ARRAY<STRING>,
  `_change` STRING,
  `_compensates` STRING
)
OPTIONS (
  format = 'NEWLINE_DELIMITED_JSON',
  uris = ['gs://ecco-studio-platform-data/env/dev/ideas/*'],
  ignore_unknown_values = true
);

CREATE OR REPLACE VIEW `ecco-analytics.studio.dev_idea` AS
SELECT `id`, `entity`, `env`, `schema_version`, `created_at`, `updated_at`, `theme`, `title`, `problem`, `market`, `team`, `tech`, `description`, `status`, `stage`, `stage_owner`, `stage_due_date`, `created_by`, `tags`, `attachments`, `score`, `experimentIds`
FROM `ecco-analytics.studio.dev_idea_snapshots` WHERE `schema_version` = '1.0.0'
;

CREATE OR REPLACE VIEW `ecco-analytics.studio.dev_idea_history_latest` AS
SELECT * EXCEPT (_rank) FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY `id` ORDER BY `updated_at` DESC, _FILE_NAME DESC) AS _rank
  FROM `ecco-analytics.studio.dev_idea_history`
  WHERE `_change` IS NULL OR `_change` = 'full'
) WHERE _rank = 1;
