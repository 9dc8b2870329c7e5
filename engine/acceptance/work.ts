import * as path from "path";
import { PROJECT_ROOT } from "../../config/load";

/** The run's files (configs, rendered directories, secrets, logs), kept after a failure for reading. */
export const WORK_DIR = path.join(PROJECT_ROOT, ".engine-work");
