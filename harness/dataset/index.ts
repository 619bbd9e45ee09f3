/** The StackOverflow-shaped dataset: `bench seed` and the test suites import from here. */
export { seedStackOverflow, GENERATOR_VERSION, type SeedOptions, type SeedReport } from './seed-dataset.js';
export { readSeedMarker, DATASET_NAME, type SeedMarker } from './marker.js';
export {
  STACKOVERFLOW_2013_ROWS, STACKOVERFLOW_TABLES, LOOKUP_TABLES, SCALED_TABLES, TABLE_NAMES, plannedRowCounts, type TableName,
} from './stackoverflow-schema.js';
