import { sleep } from 'n8n-workflow';

/** Time and chance, injectable so the limiter and retries run on a fake clock in tests. */
export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
	random(): number;
}

export const systemClock: Clock = {
	now: () => Date.now(),
	sleep: async (ms) => {
		if (ms > 0) await sleep(ms);
	},
	random: () => Math.random(),
};
