/**
 * Loaded by mocha (.mocharc.json "require") before any test file: without reference data the
 * test files' module-level referencePath() calls would each fail with a stack trace, so this
 * stops the run first with the one line that says what to do.
 */
import { ReferenceMissingError, referenceDir } from "../../reference/locate";

try {
    referenceDir();
} catch (e) {
    if (!(e instanceof ReferenceMissingError)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
}
