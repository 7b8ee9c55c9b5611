-- model: schema versions 1.0.0
CREATE OR REPLACE EXTERNAL TABLE `ecco-analytics.studio.dev_model_snapshots` (
  `id` STRING,
  `entity` STRING,
  `env` STRING,
  `schema_version` STRING,
  `created_at` TIMESTAMP,
  `updated_at` TIMESTAMP,
  `name` STRING,
  `kind` STRING,
  `ventureId` STRING,
  `inputs` JSON,
  `assumptions` JSON
)
OPTIONS (
  format = 'NEWLINE_DELIMITED_JSON',
  uris = ['gs://ecco-studio-platform-data/env/dev/snapshots/models/*.json'],
  ignore_unknown_values = true
);

CREATE OR REPLACE EXTERNAL TABLE `ecco-analytics.studio.dev_model_history` (
  `id` STRING,
  `entity` STRING,
  `env` STRING,
  `schema_version` STRING,
  `created_at` TIMESTAMP,
  `updated_at` TIMESTAMP,
  `name` STRING,
  `kind` STRING,
  `ventureId` STRING,
  `inputs` JSON,
  `assumptions` JSON,
  `_change` STRING,
  `_compensates` STRING
)
OPTIONS (
  format = 'NEWLINE_DELIMITED_JSON',
  uris = ['gs://ecco-studio-platform-data/env/dev/models/*'],
  ignore_unknown_values = true
);

CREATE OR REPLACE VIEW `ecco-analytics.studio.dev_model` AS
SELECT `id`, `entity`, `env`, `schema_version`, `created_at`, `updated_at`, `name`, `kind`, `ventureId`, `inputs`, `assumptions`
FROM `ecco-analytics.studio.dev_model_snapshots` WHERE `schema_version` = '1.0.0'
;

CREATE OR REPLACE VIEW `ecco-analytics.studio.dev_model_history_latest` AS
SELECT * EXCEPT (_rank) FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY `id` ORDER BY `updated_at` DESC, _FILE_NAME DESC) AS _rank
  FROM `ecco-analytics.studio.dev_model_history`
  WHERE `_change` IS NULL OR `_change` = 'full'
) WHERE _rank = 1;
