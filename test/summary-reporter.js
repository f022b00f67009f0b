// Prints the run's totals as one plain line ("tests: N passed, N failed"), which CI reads to know tests ran.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    console.log(
      `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed` +
        (skipped > 0 ? `, ${skipped} skipped` : ""),
    );
  }
}
module.exports = SummaryReporter;
