// Imported first by the observability test: INFO logs and EMF metrics on, before lib/logger is loaded.
process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
process.env.POWERTOOLS_METRICS_DISABLED = 'false';
