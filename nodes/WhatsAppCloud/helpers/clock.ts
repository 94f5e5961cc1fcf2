/** Time and chance, injectable so the limiter, retries and de-duplication run on a fake clock in tests. */
export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
	random(): number;
}
