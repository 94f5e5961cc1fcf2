/** Ends every jest run with one plain line CI can read: "Tests: N passed, N failed, N skipped". */
class SummaryReporter {
	onRunComplete(_contexts, results) {
		const skipped = results.numPendingTests + results.numTodoTests;
		const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
		process.stdout.write(
			`\nTests: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`,
		);
	}
}

module.exports = SummaryReporter;
