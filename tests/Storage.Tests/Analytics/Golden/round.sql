-- round: schema versions 1.0.0
CREATE OR REPLACE EXTERNAL TABLE `ecco-analytics.studio.dev_round_snapshots` (
  `id` STRING,
  `entity` STRING,
  `env` STRING,
  `schema_version` STRING,
  `created_at` TIMESTAMP,
  `updated_at` TIMESTAMP,
  `ventureId` STRING,
  `stage` STRING,
  `targetUSD` FLOAT64,
  `committedUSD` FLOAT64,
  `closeDate` DATE,
  `investors` ARRAY<STRING>,
  `terms` JSON
)
OPTIONS (
  format = 'NEWLINE_DELIMITED_JSON',
  uris = ['gs://ecco-studio-platform-data/env/dev/snapshots/rounds/*.json'],
  ignore_unknown_values = true
);

CREATE OR REPLACE EXTERNAL TABLE `ecco-analytics.studio.dev_round_history` (
  `id` STRING,
  `entity` STRING,
  `env` STRING,
  `schema_version` STRING,
  `created_at` TIMESTAMP,
  `updated_at` TIMESTAMP,
  `ventureId` STRING,
  `stage` STRING,
  `targetUSD` FLOAT64,
  `committedUSD` FLOAT64,
  `closeDate` DATE,
  `investors` ARRAY<STRING>,
  `terms` JSON,
  `_change` STRING,
  `_compensates` STRING
)
OPTIONS (
  format = 'NEWLINE_DELIMITED_JSON',
  uris = ['gs://ecco-studio-platform-data/env/dev/rounds/*'],
  ignore_unknown_values = true
);

CREATE OR REPLACE VIEW `ecco-analytics.studio.dev_round` AS
SELECT `id`, `entity`, `env`, `schema_version`, `created_at`, `updated_at`, `ventureId`, `stage`, `targetUSD`, `committedUSD`, `closeDate`, `investors`, `terms`
FROM `ecco-analytics.studio.dev_round_snapshots` WHERE `schema_version` = '1.0.0'
;

CREATE OR REPLACE VIEW `ecco-analytics.studio.dev_round_history_latest` AS
SELECT * EXCEPT (_rank) FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY `id` ORDER BY `updated_at` DESC, _FILE_NAME DESC) AS _rank
  FROM `ecco-analytics.studio.dev_round_history`
  WHERE `_change` IS NULL OR `_change` = 'full'
) WHERE _rank = 1;
