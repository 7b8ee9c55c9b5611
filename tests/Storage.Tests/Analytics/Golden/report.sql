-- report: schema versions 1.0.0
CREATE OR REPLACE EXTERNAL TABLE `ecco-analytics.studio.dev_report_snapshots` (
  `id` STRING,
  `entity` STRING,
  `env` STRING,
  `schema_version` STRING,
  `created_at` TIMESTAMP,
  `updated_at` TIMESTAMP,
  `title` STRING,
  `kind` STRING,
  `period` STRING,
  `ventureIds` ARRAY<STRING>,
  `format` STRING,
  `uri` STRING
)
OPTIONS (
  format = 'NEWLINE_DELIMITED_JSON',
  uris = ['gs://ecco-studio-platform-data/env/dev/snapshots/reports/*.json'],
  ignore_unknown_values = true
);

CREATE OR REPLACE EXTERNAL TABLE `ecco-analytics.studio.dev_report_history` (
  `id` STRING,
  `entity` STRING,
  `env` STRING,
  `schema_version` STRING,
  `created_at` TIMESTAMP,
  `updated_at` TIMESTAMP,
  `title` STRING,
  `kind` STRING,
  `period` STRING,
  `ventureIds` ARRAY<STRING>,
  `format` STRING,
  `uri` STRING,
  `_change` STRING,
  `_compensates` STRING
)
OPTIONS (
  format = 'NEWLINE_DELIMITED_JSON',
  uris = ['gs://ecco-studio-platform-data/env/dev/reports/*'],
  ignore_unknown_values = true
);

CREATE OR REPLACE VIEW `ecco-analytics.studio.dev_report` AS
SELECT `id`, `entity`, `env`, `schema_version`, `created_at`, `updated_at`, `title`, `kind`, `period`, `ventureIds`, `format`, `uri`
FROM `ecco-analytics.studio.dev_report_snapshots` WHERE `schema_version` = '1.0.0'
;

CREATE OR REPLACE VIEW `ecco-analytics.studio.dev_report_history_latest` AS
SELECT * EXCEPT (_rank) FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY `id` ORDER BY `updated_at` DESC, _FILE_NAME DESC) AS _rank
  FROM `ecco-analytics.studio.dev_report_history`
  WHERE `_change` IS NULL OR `_change` = 'full'
) WHERE _rank = 1;
