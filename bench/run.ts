// `npm run bench`: runs every benchmark, prints its figures and appends them to bench/RESULTS.md.
import { runInterpreterBench } from './interpreter';

runInterpreterBench();
